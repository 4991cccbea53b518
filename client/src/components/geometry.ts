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
