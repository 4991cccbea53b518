// Pure helpers for the canvas: clamping, boxes from drags, translating shapes, view fitting.
import type { ShapeKind } from '../../../shared/doc/index.ts';

export interface Pt { x: number; y: number }
export interface View { s: number; tx: number; ty: number }

export const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v));

/** A box `[x, y, w, h]` spanned by two corners. */
export function boxFrom(a: Pt, b: Pt): number[] {
  return [Math.min(a.x, b.x), Math.min(a.y, b.y), Math.abs(a.x - b.x), Math.abs(a.y - b.y)];
}

/** Moves a shape by (dx, dy), keeping it inside the image. */
export function translate(kind: ShapeKind, points: readonly number[], dx: number, dy: number, w: number, h: number): number[] {
  if (kind === 'box') {
    const [x, y, bw, bh] = points;
    return [clamp(x + dx, 0, w - bw), clamp(y + dy, 0, h - bh), bw, bh];
  }
  let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
  for (let i = 0; i < points.length; i += 2) {
    minX = Math.min(minX, points[i]); maxX = Math.max(maxX, points[i]);
    minY = Math.min(minY, points[i + 1]); maxY = Math.max(maxY, points[i + 1]);
  }
  const cdx = clamp(dx, -minX, w - maxX);
  const cdy = clamp(dy, -minY, h - maxY);
  return points.map((v, i) => (i % 2 === 0 ? v + cdx : v + cdy));
}

/** Resizes a box by dragging one corner (0 top-left, 1 top-right, 2 bottom-right, 3 bottom-left). */
export function resizeBox(points: readonly number[], corner: number, p: Pt): number[] {
  const [x, y, w, h] = points;
  const fixed = [
    { x: x + w, y: y + h },
    { x, y: y + h },
    { x, y },
    { x: x + w, y },
  ][corner];
  return boxFrom(fixed, p);
}

/** Moves one vertex of a polygon or polyline. */
export function moveVertex(points: readonly number[], index: number, p: Pt): number[] {
  const out = points.slice();
  out[index * 2] = p.x;
  out[index * 2 + 1] = p.y;
  return out;
}

export const pairs = (points: readonly number[]): Pt[] => {
  const out: Pt[] = [];
  for (let i = 0; i + 1 < points.length; i += 2) out.push({ x: points[i], y: points[i + 1] });
  return out;
};

export const svgPoints = (points: readonly number[]) => pairs(points).map((p) => `${p.x},${p.y}`).join(' ');

/** The view that fits an image into a viewport with a margin. */
export function fitView(vw: number, vh: number, w: number, h: number): View {
  const s = Math.max(0.05, Math.min((vw - 32) / w, (vh - 32) / h));
  return { s, tx: (vw - w * s) / 2, ty: (vh - h * s) / 2 };
}

/** Zooms by `factor` keeping the viewport point (px, py) fixed. */
export function zoomAt(v: View, factor: number, px: number, py: number): View {
  const s = clamp(v.s * factor, 0.05, 40);
  const k = s / v.s;
  return { s, tx: px - (px - v.tx) * k, ty: py - (py - v.ty) * k };
}

/** The top-left anchor for a shape's label. */
export function labelAnchor(kind: ShapeKind, points: readonly number[]): Pt {
  if (kind === 'box') return { x: points[0], y: points[1] };
  let best = { x: points[0], y: points[1] };
  for (const p of pairs(points)) if (p.y < best.y) best = p;
  return best;
}

/** Axis-aligned bounds `[minX, minY, maxX, maxY]` of a shape's points. */
export function bounds(kind: ShapeKind, p: readonly number[]): [number, number, number, number] {
  if (kind === 'box') return [p[0], p[1], p[0] + p[2], p[1] + p[3]];
  let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
  for (let i = 0; i + 1 < p.length; i += 2) {
    if (p[i] < minX) minX = p[i];
    if (p[i] > maxX) maxX = p[i];
    if (p[i + 1] < minY) minY = p[i + 1];
    if (p[i + 1] > maxY) maxY = p[i + 1];
  }
  return [minX, minY, maxX, maxY];
}

/** Distance from `p` to the segment a–b, and where along it (0..1) the nearest point lies. */
export function segmentDistance(p: Pt, a: Pt, b: Pt): { d: number; t: number } {
  const dx = b.x - a.x, dy = b.y - a.y;
  const len2 = dx * dx + dy * dy;
  const t = len2 === 0 ? 0 : clamp(((p.x - a.x) * dx + (p.y - a.y) * dy) / len2, 0, 1);
  return { d: Math.hypot(p.x - (a.x + t * dx), p.y - (a.y + t * dy)), t };
}

export function pointInPolygon(p: Pt, pts: readonly number[]): boolean {
  let inside = false;
  for (let i = 0, j = pts.length - 2; i < pts.length; j = i, i += 2) {
    const xi = pts[i], yi = pts[i + 1], xj = pts[j], yj = pts[j + 1];
    if (yi > p.y !== yj > p.y && p.x < ((xj - xi) * (p.y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

/** The edge of a polygon (closed) or polyline nearest to `p`: insert a vertex after `index`. */
export function nearestEdge(points: readonly number[], closed: boolean, p: Pt): { index: number; d: number; at: Pt } | null {
  const v = pairs(points);
  let best: { index: number; d: number; at: Pt } | null = null;
  const n = closed ? v.length : v.length - 1;
  for (let i = 0; i < n; i++) {
    const a = v[i], b = v[(i + 1) % v.length];
    const { d, t } = segmentDistance(p, a, b);
    if (!best || d < best.d) best = { index: i, d, at: { x: a.x + t * (b.x - a.x), y: a.y + t * (b.y - a.y) } };
  }
  return best;
}

/** Whether `p` (image pixels) hits a shape, with `tol` image pixels of slack for lines and points. */
export function hits(kind: ShapeKind, points: readonly number[], p: Pt, tol: number): boolean {
  const [x0, y0, x1, y1] = bounds(kind, points);
  if (p.x < x0 - tol || p.x > x1 + tol || p.y < y0 - tol || p.y > y1 + tol) return false;
  if (kind === 'box' || kind === 'point') return true;
  if (kind === 'polygon' && pointInPolygon(p, points)) return true;
  const e = nearestEdge(points, kind === 'polygon', p);
  return !!e && e.d <= tol;
}

export function insertVertex(points: readonly number[], afterIndex: number, p: Pt): number[] {
  const out = points.slice();
  out.splice((afterIndex + 1) * 2, 0, p.x, p.y);
  return out;
}

/** Removes a vertex; null when the shape would fall below its minimum (3 for polygons, 2 for polylines). */
export function removeVertex(kind: ShapeKind, points: readonly number[], index: number): number[] | null {
  const min = kind === 'polygon' ? 3 : 2;
  if (points.length / 2 - 1 < min) return null;
  const out = points.slice();
  out.splice(index * 2, 2);
  return out;
}

/** Places `points` (copied from elsewhere) inside a w×h image, shifted a little if asked. */
export function placeInside(kind: ShapeKind, points: readonly number[], w: number, h: number, offset = 0): number[] {
  if (kind === 'box') {
    const bw = Math.min(points[2], w), bh = Math.min(points[3], h);
    return [clamp(points[0] + offset, 0, w - bw), clamp(points[1] + offset, 0, h - bh), bw, bh];
  }
  const shifted = points.map((v) => v + offset);
  const [x0, y0, x1, y1] = bounds(kind, shifted);
  const sx = x1 - x0 > w ? w / (x1 - x0) : 1, sy = y1 - y0 > h ? h / (y1 - y0) : 1;
  const scaled = shifted.map((v, i) => (i % 2 === 0 ? x0 + (v - x0) * sx : y0 + (v - y0) * sy));
  return translate(kind, scaled, 0, 0, w, h).map((v, i) => (i % 2 === 0 ? clamp(v, 0, w) : clamp(v, 0, h)));
}
