// Drawing shapes on a 2D canvas, fast enough for thousands of shapes at 60 fps: shapes are batched
// into one Path2D per colour in image coordinates and cached until the shapes change, so a pan or
// zoom frame only re-strokes a few paths under a new transform; labels are placed per frame in
// screen space on an occupancy grid so that they never pile on top of each other.
import type { ShapeKind } from '../../../shared/doc/index.ts';
import { labelAnchor, pairs, type Pt, type View } from './geometry.ts';

export interface Drawable {
  id: string;
  kind: ShapeKind;
  points: readonly number[];
  color: string;
  label: string;
}

interface Group {
  color: string;
  areas: Path2D;
  lines: Path2D;
  dots: Pt[];
}

/** The cached batches of one set of shapes (rebuild when any shape, colour or visibility changes). */
export class ShapeBatch {
  readonly groups: Group[];
  readonly labels: { x: number; y: number; text: string; color: string }[];
  readonly count: number;
  constructor(shapes: readonly Drawable[]) {
    const byColor = new Map<string, Group>();
    this.labels = [];
    for (const s of shapes) {
      let g = byColor.get(s.color);
      if (!g) byColor.set(s.color, (g = { color: s.color, areas: new Path2D(), lines: new Path2D(), dots: [] }));
      const p = s.points;
      if (s.kind === 'box') g.areas.rect(p[0], p[1], p[2], p[3]);
      else if (s.kind === 'point') g.dots.push({ x: p[0], y: p[1] });
      else {
        const path = s.kind === 'polygon' ? g.areas : g.lines;
        path.moveTo(p[0], p[1]);
        for (let i = 2; i + 1 < p.length; i += 2) path.lineTo(p[i], p[i + 1]);
        if (s.kind === 'polygon') path.closePath();
      }
      const a = labelAnchor(s.kind, p);
      this.labels.push({ x: a.x, y: a.y, text: s.label, color: s.color });
    }
    this.groups = [...byColor.values()];
    this.count = shapes.length;
  }
}

const LABEL_H = 16;
const CELL_W = 24;
const FONT = '600 11px system-ui, sans-serif';

/** Draws a batch under `view` onto a canvas of css size w×h (device pixel ratio `dpr`). */
export function drawBatch(ctx: CanvasRenderingContext2D, batch: ShapeBatch, view: View, w: number, h: number, dpr: number, showLabels: boolean, widths: Map<string, number>): void {
  ctx.setTransform(1, 0, 0, 1, 0, 0);
  ctx.clearRect(0, 0, ctx.canvas.width, ctx.canvas.height);
  ctx.setTransform(dpr * view.s, 0, 0, dpr * view.s, dpr * view.tx, dpr * view.ty);
  ctx.lineWidth = 1.75 / view.s;
  ctx.lineJoin = 'round';
  for (const g of batch.groups) {
    ctx.fillStyle = g.color;
    ctx.strokeStyle = g.color;
    ctx.globalAlpha = 0.14;
    ctx.fill(g.areas);
    ctx.globalAlpha = 1;
    ctx.stroke(g.areas);
    ctx.stroke(g.lines);
  }
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  for (const g of batch.groups) {
    if (!g.dots.length) continue;
    ctx.fillStyle = g.color;
    ctx.strokeStyle = '#fff';
    ctx.lineWidth = 1.5;
    const dots = new Path2D();
    for (const d of g.dots) {
      const x = view.tx + d.x * view.s, y = view.ty + d.y * view.s;
      dots.moveTo(x + 4.5, y);
      dots.arc(x, y, 4.5, 0, Math.PI * 2);
    }
    ctx.fill(dots);
    ctx.stroke(dots);
  }
  if (showLabels) drawLabels(ctx, batch, view, w, h, widths);
}

function drawLabels(ctx: CanvasRenderingContext2D, batch: ShapeBatch, view: View, w: number, h: number, widths: Map<string, number>): void {
  ctx.font = FONT;
  const cols = Math.ceil(w / CELL_W) + 1;
  const rows = Math.ceil(h / LABEL_H) + 1;
  const taken = new Uint8Array(cols * rows);
  ctx.textBaseline = 'middle';
  // Later shapes are drawn on top, so they get their labels first.
  for (let i = batch.labels.length - 1; i >= 0; i--) {
    const l = batch.labels[i]!;
    const x = view.tx + l.x * view.s;
    const y = view.ty + l.y * view.s - LABEL_H;
    if (x > w || y > h || x < -200 || y < -LABEL_H) continue;
    let tw = widths.get(l.text);
    if (tw === undefined) widths.set(l.text, (tw = ctx.measureText(l.text).width + 10));
    const c0 = Math.max(0, Math.floor(x / CELL_W)), c1 = Math.min(cols - 1, Math.floor((x + tw) / CELL_W));
    const r0 = Math.max(0, Math.floor(y / LABEL_H)), r1 = Math.min(rows - 1, Math.floor((y + LABEL_H - 1) / LABEL_H));
    let free = true;
    for (let r = r0; r <= r1 && free; r++) for (let c = c0; c <= c1; c++) if (taken[r * cols + c]) { free = false; break; }
    if (!free) continue;
    for (let r = r0; r <= r1; r++) for (let c = c0; c <= c1; c++) taken[r * cols + c] = 1;
    ctx.globalAlpha = 0.9;
    ctx.fillStyle = l.color;
    ctx.fillRect(x, y, tw, LABEL_H);
    ctx.globalAlpha = 1;
    ctx.fillStyle = '#fff';
    ctx.fillText(l.text, x + 5, y + LABEL_H / 2);
  }
}

export interface Overlay {
  /** The selected (or dragged) shape, drawn on top with its handles. */
  selected: (Drawable & { handles: Pt[]; locked: boolean; vertex: number | null }) | null;
  /** Collaborators' selections. */
  peers: { kind: ShapeKind; points: readonly number[]; color: string }[];
  /** The shape being drawn: vertices so far, plus the pointer. */
  draft: { kind: ShapeKind; points: Pt[]; hover: Pt | null; closable: boolean } | null;
  boxDrag: [number, number, number, number] | null;
  /** Crosshair guide lines at the pointer (image pixels), while a drawing tool is active. */
  crosshair: Pt | null;
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

/** Draws the interactive layer (selection, handles, drafts, guides) in screen pixels. */
export function drawOverlay(ctx: CanvasRenderingContext2D, o: Overlay, view: View, w: number, h: number, dpr: number): void {
  ctx.setTransform(1, 0, 0, 1, 0, 0);
  ctx.clearRect(0, 0, ctx.canvas.width, ctx.canvas.height);
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.lineJoin = 'round';
  if (o.crosshair) {
    const c = toScreen(view, o.crosshair);
    ctx.strokeStyle = 'rgba(255,255,255,0.55)';
    ctx.lineWidth = 1;
    ctx.setLineDash([4, 4]);
    ctx.beginPath();
    ctx.moveTo(0, Math.round(c.y) + 0.5);
    ctx.lineTo(w, Math.round(c.y) + 0.5);
    ctx.moveTo(Math.round(c.x) + 0.5, 0);
    ctx.lineTo(Math.round(c.x) + 0.5, h);
    ctx.stroke();
    ctx.setLineDash([]);
  }
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
