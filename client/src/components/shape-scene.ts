// The shapes layer of the canvas (every shape but the selected one), drawn on 2D canvases fast
// enough for thousands of shapes: the shapes of a region are batched into one Path2D per colour in
// image coordinates; outlines are one device pixel wide (the rasteriser's hairline path: about five
// times cheaper than wider strokes in software); labels are placed in screen space on an occupancy
// grid so that they never pile up. A full redraw runs in slices (bands of the canvas, each a
// region redraw) so that no task holds the main thread for long; a change to a few shapes (select,
// move, relabel, a collaborator's edit) redraws only the region they cover, found through a
// spatial index. Both give the pixels a one-pass redraw would. Each canvas keeps its own labels.
import type { ShapeKind } from '../../../shared/doc/index.ts';
import { labelAnchor, type Pt, type View } from './geometry.ts';
import { FONT, LABEL_H } from './render.ts';
import { ShapeIndex, type Rect } from './shape-index.ts';

export interface Drawable {
  id: string;
  kind: ShapeKind;
  points: readonly number[];
  color: string;
  label: string;
  /** The object this was made from: unchanged source, colour and label mean an unchanged shape. */
  src: unknown;
}

interface Group {
  color: string;
  ids: Set<string>;
}

interface Paths {
  areas: Path2D;
  lines: Path2D;
  dots: Pt[];
}

interface Placed {
  x: number;
  y: number;
  w: number;
  text: string;
  color: string;
}

type Ctx = CanvasRenderingContext2D;

const CELL_W = 24;
/** Device-pixel rows of one slice of a full redraw. */
const BAND = 64;
/** Screen pixels around a shape's bounds that its outline and point dots may cover. */
const PAD = 7;

export class ShapeScene {
  private readonly index: ShapeIndex<Drawable>;
  private readonly groups = new Map<string, Group>();
  private readonly colorOf = new Map<string, string>();
  private list: readonly Drawable[] = [];
  /** The labels drawn on each canvas, as placed at the view it was drawn at. */
  private readonly placedOn = new WeakMap<Ctx, Map<string, Placed>>();
  private readonly widths = new Map<string, number>();

  constructor(cell: number) {
    this.index = new ShapeIndex(cell);
  }

  get count(): number {
    return this.list.length;
  }

  /**
   * Brings the scene to `list` (drawing order) and returns the image rects that need drawing again
   * (old and new bounds of what changed).
   */
  update(list: readonly Drawable[]): Rect[] {
    // Reuse the old object for an unchanged shape, so the index keeps its entry.
    const next = list.map((d) => {
      const old = this.index.get(d.id);
      return old && old.src === d.src && old.color === d.color && old.label === d.label ? old : d;
    });
    const dirty: Rect[] = [];
    for (const c of this.index.sync(next)) {
      if (c.before) dirty.push(c.before);
      if (c.after) dirty.push(c.after);
      const was = this.colorOf.get(c.id);
      if (was !== undefined) {
        const g = this.group(was);
        g.ids.delete(c.id);
        this.colorOf.delete(c.id);
      }
      const now = c.after ? this.index.get(c.id)!.color : undefined;
      if (now !== undefined) {
        const g = this.group(now);
        g.ids.add(c.id);
        this.colorOf.set(c.id, now);
      }
    }
    this.list = next;
    return dirty;
  }

  private group(color: string): Group {
    let g = this.groups.get(color);
    if (!g) this.groups.set(color, (g = { color, ids: new Set() }));
    return g;
  }

  /**
   * A full redraw of the canvas under `view` (css size w×h, device pixel ratio `dpr`) in slices:
   * each `step(deadline)` places the labels or draws bands of the canvas until `performance.now()`
   * passes `deadline`, and says whether it is done. Shapes that change meanwhile are not in the
   * bands already drawn: pass their rects to drawRegion on the same canvas once it is done.
   */
  rasterise(ctx: Ctx, view: View, w: number, h: number, dpr: number, showLabels: boolean): { step(deadline: number): boolean } {
    let placed: Map<string, Placed> | null = null;
    let y = 0;
    const { width, height } = ctx.canvas;
    return {
      step: (deadline) => {
        if (!placed) {
          this.placedOn.set(ctx, (placed = showLabels ? this.place(ctx, view, w, h) : new Map()));
          if (performance.now() >= deadline) return false;
        }
        while (y < height) {
          const y1 = Math.min(height, y + BAND);
          this.redraw(ctx, view, dpr, placed, [0, y, width, y1]);
          y = y1;
          if (performance.now() >= deadline) break;
        }
        return y >= height;
      },
    };
  }

  /**
   * Redraws only what lies in `rects` (image pixels) and the labels that moved, at `view` (the view
   * the canvas was last drawn at). Returns false when that region is most of the canvas: then call
   * drawAll instead.
   */
  drawRegion(ctx: Ctx, view: View, w: number, h: number, dpr: number, showLabels: boolean, rects: readonly Rect[]): boolean {
    const before = this.placedOn.get(ctx) ?? new Map<string, Placed>();
    const placed = showLabels ? this.place(ctx, view, w, h) : new Map<string, Placed>();
    const screen: Rect[] = rects.map((r) => [view.tx + r[0] * view.s - PAD, view.ty + r[1] * view.s - PAD, view.tx + r[2] * view.s + PAD, view.ty + r[3] * view.s + PAD]);
    const box = (l: Placed): Rect => [l.x, l.y, l.x + l.w, l.y + LABEL_H];
    for (const [id, l] of placed) {
      const o = before.get(id);
      if (o && o.x === l.x && o.y === l.y && o.w === l.w && o.text === l.text && o.color === l.color) continue;
      screen.push(box(l));
      if (o) screen.push(box(o));
    }
    for (const [id, o] of before) if (!placed.has(id)) screen.push(box(o));
    // Whole device pixels, clipped to the canvas; overlapping rects merged, so that two far-apart
    // changes (a shape moved across the image) redraw two small regions, not one spanning both.
    const regions = merge(
      screen.flatMap((r): Rect[] => {
        const d: Rect = [Math.max(0, Math.floor(r[0] * dpr)), Math.max(0, Math.floor(r[1] * dpr)), Math.min(ctx.canvas.width, Math.ceil(r[2] * dpr)), Math.min(ctx.canvas.height, Math.ceil(r[3] * dpr))];
        return d[2] > d[0] && d[3] > d[1] ? [d] : [];
      }),
    );
    const area = regions.reduce((n, r) => n + (r[2] - r[0]) * (r[3] - r[1]), 0);
    if (area > 0.5 * ctx.canvas.width * ctx.canvas.height) return false;
    for (const r of regions) this.redraw(ctx, view, dpr, placed, r);
    this.placedOn.set(ctx, placed);
    return true;
  }

  /** Clears the device-pixel rect `r` and draws into it every shape and label that reaches it. */
  private redraw(ctx: Ctx, view: View, dpr: number, placed: ReadonlyMap<string, Placed>, [x0, y0, x1, y1]: Rect): void {
    ctx.save();
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.beginPath();
    ctx.rect(x0, y0, x1 - x0, y1 - y0);
    ctx.clip();
    ctx.clearRect(x0, y0, x1 - x0, y1 - y0);
    // The same colours in the same order as a full redraw, with only the members in the region.
    const pad = PAD / view.s;
    const inside = this.index.query([(x0 / dpr - view.tx) / view.s - pad, (y0 / dpr - view.ty) / view.s - pad, (x1 / dpr - view.tx) / view.s + pad, (y1 / dpr - view.ty) / view.s + pad]);
    const byColor = new Map<string, Drawable[]>();
    for (const d of inside) {
      let m = byColor.get(d.color);
      if (!m) byColor.set(d.color, (m = []));
      m.push(d);
    }
    this.paint(ctx, view, dpr, [...this.groups.keys()].flatMap((c) => (byColor.has(c) ? [[c, trace(byColor.get(c)!)] as const] : [])));
    const lx0 = x0 / dpr, ly0 = y0 / dpr, lx1 = x1 / dpr, ly1 = y1 / dpr;
    this.drawLabels(ctx, [...placed.values()].filter((l) => l.x <= lx1 && l.x + l.w >= lx0 && l.y <= ly1 && l.y + LABEL_H >= ly0));
    ctx.restore();
  }

  private paint(ctx: Ctx, view: View, dpr: number, groups: readonly (readonly [string, Paths])[]): void {
    ctx.setTransform(dpr * view.s, 0, 0, dpr * view.s, dpr * view.tx, dpr * view.ty);
    // One device pixel (a whole number of them on high-density screens).
    ctx.lineWidth = Math.max(1, Math.round(dpr)) / (dpr * view.s);
    ctx.lineJoin = 'miter';
    for (const [color, p] of groups) {
      ctx.fillStyle = color;
      ctx.strokeStyle = color;
      ctx.globalAlpha = 0.14;
      ctx.fill(p.areas);
      ctx.globalAlpha = 1;
      ctx.stroke(p.areas);
      ctx.stroke(p.lines);
    }
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.strokeStyle = '#fff';
    ctx.lineWidth = 1.5;
    for (const [color, p] of groups) {
      if (!p.dots.length) continue;
      ctx.fillStyle = color;
      const dots = new Path2D();
      for (const d of p.dots) {
        const x = view.tx + d.x * view.s, y = view.ty + d.y * view.s;
        dots.moveTo(x + 4.5, y);
        dots.arc(x, y, 4.5, 0, Math.PI * 2);
      }
      ctx.fill(dots);
      ctx.stroke(dots);
    }
  }

  /** Where each label goes at `view`: later shapes first (they are on top); a label that would overlap one already placed is left out. */
  private place(ctx: Ctx, view: View, w: number, h: number): Map<string, Placed> {
    ctx.font = FONT;
    const cols = Math.ceil(w / CELL_W) + 1;
    const rows = Math.ceil(h / LABEL_H) + 1;
    const taken = new Uint8Array(cols * rows);
    const out = new Map<string, Placed>();
    for (let i = this.list.length - 1; i >= 0; i--) {
      const d = this.list[i]!;
      const a = labelAnchor(d.kind, d.points);
      const x = view.tx + a.x * view.s;
      const y = view.ty + a.y * view.s - LABEL_H;
      if (x > w || y > h || x < -200 || y < -LABEL_H) continue;
      const tw = this.width(ctx, d.label) + 10;
      const c0 = Math.max(0, Math.floor(x / CELL_W)), c1 = Math.min(cols - 1, Math.floor((x + tw) / CELL_W));
      const r0 = Math.max(0, Math.floor(y / LABEL_H)), r1 = Math.min(rows - 1, Math.floor((y + LABEL_H - 1) / LABEL_H));
      let free = true;
      for (let r = r0; r <= r1 && free; r++) for (let c = c0; c <= c1; c++) if (taken[r * cols + c]) { free = false; break; }
      if (!free) continue;
      for (let r = r0; r <= r1; r++) for (let c = c0; c <= c1; c++) taken[r * cols + c] = 1;
      out.set(d.id, { x, y, w: tw, text: d.label, color: d.color });
    }
    return out;
  }

  /**
   * The width of a label in FONT: the sum of its characters' advances, each measured once (every
   * label is unique, "17 car", so measuring whole labels would measure thousands of strings).
   */
  private width(ctx: Ctx, text: string): number {
    let w = 0;
    for (const ch of text) {
      let cw = this.widths.get(ch);
      if (cw === undefined) this.widths.set(ch, (cw = ctx.measureText(ch).width));
      w += cw;
    }
    return Math.ceil(w);
  }

  private drawLabels(ctx: Ctx, labels: readonly Placed[]): void {
    ctx.font = FONT;
    ctx.textBaseline = 'middle';
    for (const l of labels) {
      ctx.globalAlpha = 0.9;
      ctx.fillStyle = l.color;
      ctx.fillRect(l.x, l.y, l.w, LABEL_H);
      ctx.globalAlpha = 1;
      ctx.fillStyle = '#fff';
      ctx.fillText(l.text, l.x + 5, l.y + LABEL_H / 2);
    }
  }
}

/** Merges overlapping rects until none overlap (past 32 rects, into one around them all). */
function merge(rects: Rect[]): Rect[] {
  if (rects.length > 32) return rects.length ? [rects.reduce((a, r) => [Math.min(a[0], r[0]), Math.min(a[1], r[1]), Math.max(a[2], r[2]), Math.max(a[3], r[3])])] : [];
  const out = rects.slice();
  for (let again = true; again; ) {
    again = false;
    for (let i = 0; i < out.length && !again; i++) {
      for (let j = i + 1; j < out.length; j++) {
        const a = out[i]!, b = out[j]!;
        if (a[0] <= b[2] && b[0] <= a[2] && a[1] <= b[3] && b[1] <= a[3]) {
          out[i] = [Math.min(a[0], b[0]), Math.min(a[1], b[1]), Math.max(a[2], b[2]), Math.max(a[3], b[3])];
          out.splice(j, 1);
          again = true;
          break;
        }
      }
    }
  }
  return out;
}

/** One colour's shapes as paths in image coordinates. */
function trace(shapes: readonly Drawable[]): Paths {
  const out: Paths = { areas: new Path2D(), lines: new Path2D(), dots: [] };
  for (const s of shapes) {
    const p = s.points;
    if (s.kind === 'box') out.areas.rect(p[0], p[1], p[2], p[3]);
    else if (s.kind === 'point') out.dots.push({ x: p[0], y: p[1] });
    else {
      const path = s.kind === 'polygon' ? out.areas : out.lines;
      path.moveTo(p[0], p[1]);
      for (let i = 2; i + 1 < p.length; i += 2) path.lineTo(p[i], p[i + 1]);
      if (s.kind === 'polygon') path.closePath();
    }
  }
  return out;
}
