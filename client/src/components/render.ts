// The canvas's interactive layer, drawn in screen pixels on every change of the pointer or the
// view: the selected shape with its handles and label, collaborators' selections, the shape being
// drawn, the box being dragged out. It is drawn on a canvas only as large as what it shows
// (overlayBounds), so a frame never uploads a viewport-sized bitmap for a few handles. (The other
// shapes: shape-scene.ts; the crosshair guides are two DOM lines.)
import type { ShapeKind } from '../../../shared/doc/index.ts';
import { labelAnchor, pairs, type Pt, type View } from './geometry.ts';
import type { Drawable } from './shape-scene.ts';

export const LABEL_H = 16;
export const FONT = '600 11px system-ui, sans-serif';

export interface Overlay {
  /** The selected (or dragged) shape, drawn on top with its handles. */
  selected: (Omit<Drawable, 'src'> & { handles: Pt[]; locked: boolean; vertex: number | null }) | null;
  /** Collaborators' selections. */
  peers: { kind: ShapeKind; points: readonly number[]; color: string }[];
  /** The shape being drawn: vertices so far, plus the pointer. */
  draft: { kind: ShapeKind; points: Pt[]; hover: Pt | null; closable: boolean } | null;
  boxDrag: [number, number, number, number] | null;
}

/** Screen pixels around the overlay's geometry that handles, halos, labels and dots may cover. */
const MARGIN = 12;

/** The screen rect `[x0, y0, x1, y1]` (whole pixels, inside w×h) the overlay draws into, or null when it draws nothing. */
export function overlayBounds(o: Overlay, v: View, w: number, h: number): [number, number, number, number] | null {
  let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
  const add = (x: number, y: number) => {
    const sx = v.tx + x * v.s, sy = v.ty + y * v.s;
    if (sx < x0) x0 = sx;
    if (sx > x1) x1 = sx;
    if (sy < y0) y0 = sy;
    if (sy > y1) y1 = sy;
  };
  const shape = (kind: ShapeKind, p: readonly number[]) => {
    if (kind === 'box') {
      add(p[0], p[1]);
      add(p[0] + p[2], p[1] + p[3]);
    } else for (let i = 0; i + 1 < p.length; i += 2) add(p[i], p[i + 1]);
  };
  for (const p of o.peers) shape(p.kind, p.points);
  if (o.selected) {
    const s = o.selected;
    shape(s.kind, s.points);
    // Its label sits above its anchor and may be wider than the shape.
    const a = labelAnchor(s.kind, s.points);
    add(a.x, a.y);
    const sx = v.tx + a.x * v.s, sy = v.ty + a.y * v.s;
    x1 = Math.max(x1, sx + 8 * (s.label.length + 10));
    y0 = Math.min(y0, sy - LABEL_H);
  }
  if (o.boxDrag) shape('box', o.boxDrag);
  if (o.draft) {
    for (const q of o.draft.points) add(q.x, q.y);
    if (o.draft.hover) add(o.draft.hover.x, o.draft.hover.y);
  }
  if (x1 < x0) return null;
  const r: [number, number, number, number] = [Math.max(0, Math.floor(x0 - MARGIN)), Math.max(0, Math.floor(y0 - MARGIN)), Math.min(w, Math.ceil(x1 + MARGIN)), Math.min(h, Math.ceil(y1 + MARGIN))];
  return r[2] > r[0] && r[3] > r[1] ? r : null;
}

const toScreen = (v: View, p: Pt): Pt => ({ x: v.tx + p.x * v.s, y: v.ty + p.y * v.s });

function tracePath(ctx: CanvasRenderingContext2D, v: View, kind: ShapeKind, p: readonly number[]): void {
  ctx.beginPath();
  if (kind === 'box') {
    const a = toScreen(v, { x: p[0], y: p[1] });
    ctx.rect(a.x, a.y, p[2] * v.s, p[3] * v.s);
    return;
  }
  if (kind === 'point') {
    const a = toScreen(v, { x: p[0], y: p[1] });
    ctx.arc(a.x, a.y, 6, 0, Math.PI * 2);
    return;
  }
  pairs(p).forEach((q, i) => {
    const s = toScreen(v, q);
    if (i === 0) ctx.moveTo(s.x, s.y);
    else ctx.lineTo(s.x, s.y);
  });
  if (kind === 'polygon') ctx.closePath();
}

/** Draws the interactive layer (selection, handles, drafts) in screen pixels onto a canvas whose top-left is the screen point `origin`. */
export function drawOverlay(ctx: CanvasRenderingContext2D, o: Overlay, view: View, dpr: number, origin: Pt): void {
  ctx.setTransform(1, 0, 0, 1, 0, 0);
  ctx.clearRect(0, 0, ctx.canvas.width, ctx.canvas.height);
  ctx.setTransform(dpr, 0, 0, dpr, -origin.x * dpr, -origin.y * dpr);
  ctx.lineJoin = 'round';
  for (const p of o.peers) {
    tracePath(ctx, view, p.kind, p.points);
    ctx.strokeStyle = p.color;
    ctx.lineWidth = 2.5;
    ctx.setLineDash([6, 4]);
    ctx.stroke();
    ctx.setLineDash([]);
  }
  const s = o.selected;
  if (s) {
    tracePath(ctx, view, s.kind, s.points);
    ctx.globalAlpha = 0.3;
    ctx.fillStyle = s.color;
    if (s.kind !== 'polyline') ctx.fill();
    ctx.globalAlpha = 1;
    // A white halo under a thick stroke: visible on any image and any class colour.
    ctx.strokeStyle = '#fff';
    ctx.lineWidth = 5;
    ctx.stroke();
    ctx.strokeStyle = s.color;
    ctx.lineWidth = 2.5;
    ctx.stroke();
    const a = toScreen(view, labelAnchor(s.kind, s.points));
    ctx.font = FONT;
    const text = s.locked ? `${s.label} (locked)` : s.label;
    const tw = ctx.measureText(text).width + 10;
    ctx.fillStyle = s.color;
    ctx.fillRect(a.x, a.y - LABEL_H, tw, LABEL_H);
    ctx.fillStyle = '#fff';
    ctx.textBaseline = 'middle';
    ctx.fillText(text, a.x + 5, a.y - LABEL_H / 2);
    s.handles.forEach((hp, i) => {
      const q = toScreen(view, hp);
      const r = i === s.vertex ? 6 : 4;
      ctx.fillStyle = i === s.vertex ? s.color : '#fff';
      ctx.strokeStyle = '#1b1e24';
      ctx.lineWidth = 1.5;
      ctx.fillRect(q.x - r, q.y - r, r * 2, r * 2);
      ctx.strokeRect(q.x - r, q.y - r, r * 2, r * 2);
    });
  }
  if (o.boxDrag) {
    const [x, y, bw, bh] = o.boxDrag;
    const a = toScreen(view, { x, y });
    ctx.fillStyle = 'rgba(47,111,237,0.12)';
    ctx.strokeStyle = '#7fb0ff';
    ctx.lineWidth = 2;
    ctx.setLineDash([6, 4]);
    ctx.fillRect(a.x, a.y, bw * view.s, bh * view.s);
    ctx.strokeRect(a.x, a.y, bw * view.s, bh * view.s);
    ctx.setLineDash([]);
  }
  const d = o.draft;
  if (d && d.points.length) {
    const pts = [...d.points, ...(d.hover ? [d.hover] : [])].map((q) => toScreen(view, q));
    ctx.beginPath();
    pts.forEach((q, i) => (i === 0 ? ctx.moveTo(q.x, q.y) : ctx.lineTo(q.x, q.y)));
    ctx.strokeStyle = '#7fb0ff';
    ctx.lineWidth = 2;
    ctx.setLineDash([6, 4]);
    ctx.stroke();
    ctx.setLineDash([]);
    d.points.forEach((q, i) => {
      const sq = toScreen(view, q);
      const first = i === 0;
      ctx.beginPath();
      ctx.arc(sq.x, sq.y, first && d.closable ? 8 : first ? 6 : 4, 0, Math.PI * 2);
      ctx.fillStyle = first ? '#2f6fed' : '#fff';
      ctx.strokeStyle = first && d.closable ? '#fff' : '#2f6fed';
      ctx.lineWidth = 2;
      ctx.fill();
      ctx.stroke();
    });
  }
}
