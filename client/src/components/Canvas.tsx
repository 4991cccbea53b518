// The annotation canvas: the image in one transformed layer (pan and zoom move it on the
// compositor), the shapes as a bitmap with a margin (shape-scene.ts: per-colour batches,
// decluttered labels, partial redraws of what changed) that follows a gesture by a CSS transform
// and is redrawn crisp in slices once the gesture pauses, and a canvas for what changes per pointer
// move (selection, handles, drafts; render.ts), so a drag never redraws the other shapes.
// Hit-testing goes through a spatial index (shape-index.ts). Draws boxes (drag), polygons (click points; click the first
// point, Enter or double-click closes), polylines, points; selects (Tab cycles overlapping shapes),
// moves, resizes, edits vertices; shows others' cursors and selections. Knows nothing of Yjs.
import { createEffect, createMemo, createSignal, For, onCleanup, onMount, Show, untrack } from 'solid-js';
import type { ShapeKind } from '../../../shared/doc/index.ts';
import type { Shape } from '../state/annotations.ts';
import type { Peer } from '../state/presence.ts';
import {
  boxFrom, clamp, fitView, hits, insertVertex, moveVertex, nearestEdge, pairs, removeVertex, resizeBox, translate, zoomAt, type Pt, type View,
} from './geometry.ts';
import { drawOverlay, overlayBounds, type Overlay } from './render.ts';
import { cellFor, ShapeIndex, type Rect } from './shape-index.ts';
import { ShapeScene, type Drawable } from './shape-scene.ts';
import { runSliced } from './slices.ts';
import { plural } from '../../../shared/plural.ts';

export type Tool = 'select' | 'box' | 'polygon' | 'polyline' | 'point';
export const DRAW_KINDS: Partial<Record<Tool, ShapeKind>> = { box: 'box', polygon: 'polygon', polyline: 'polyline', point: 'point' };

export interface CanvasApi {
  /** Finishes the polygon or polyline being drawn; false when there is none to finish. */
  finishDraft(): boolean;
  /** Drops the shape being drawn (or its last point with `lastOnly`); false when there is none. */
  cancelDraft(lastOnly?: boolean): boolean;
  /** Selects the next shape under the pointer (Tab). */
  cycle(): void;
  fit(): void;
  zoom(factor: number): void;
}

export interface CanvasProps {
  src: string;
  width: number;
  height: number;
  /** In creation order (later ones on top). */
  shapes: readonly Shape[];
  colorOf(label: string): string;
  /** The text of a shape's label on the canvas, e.g. "3 car". */
  labelOf(s: Shape): string;
  tool: Tool;
  readOnly: boolean;
  selected: string | null;
  /** The selected vertex of the selected polygon or polyline. */
  vertex: number | null;
  onSelect(id: string | null): void;
  onVertex(index: number | null): void;
  onCreate(kind: ShapeKind, points: number[]): void;
  onChange(id: string, points: number[]): void;
  hidden: ReadonlySet<string>;
  locked: ReadonlySet<string>;
  showLabels: boolean;
  peers: readonly Peer[];
  onCursor(p: Pt | null): void;
  api(api: CanvasApi): void;
  /** Comment pins: one per shape with open threads (at its top-right corner), one per open thread on a point (at the point). */
  pins?: readonly Pin[];
  onPin?(pin: Pin): void;
}

/** A comment pin on the canvas: the open threads of a shape, or one open thread anchored on a point of the image. */
export type Pin = { kind: 'shape'; shapeId: string; count: number } | { kind: 'point'; threadId: string; x: number; y: number };

type Drag =
  | { type: 'pan'; x: number; y: number; view: View }
  | { type: 'box'; a: Pt; b: Pt }
  | { type: 'move'; id: string; start: Pt; orig: readonly number[]; kind: ShapeKind }
  | { type: 'handle'; id: string; index: number; kind: ShapeKind; orig: readonly number[] };

const GUIDE = { position: 'absolute', left: '0', top: '0', 'pointer-events': 'none' } as const;
const GUIDE_LINE = '1px dashed rgba(255,255,255,0.55)';
const HANDLE_PX = 7;
const CLOSE_PX = 9;
/** Css px of the shapes layer beyond the viewport on each side: a pan shows them without a redraw. */
const MARGIN = 256;
/** A pan or zoom that pauses this long is drawn crisp at its new view. */
const SETTLE_MS = 120;

export function Canvas(props: CanvasProps) {
  let viewport!: HTMLDivElement;
  let base!: HTMLCanvasElement;
  let top!: HTMLCanvasElement;
  const [view, setView] = createSignal<View>({ s: 1, tx: 0, ty: 0 });
  const [size, setSize] = createSignal({ w: 0, h: 0, dpr: 1 });
  const [drag, setDrag] = createSignal<Drag | null>(null);
  const [preview, setPreview] = createSignal<{ id: string; points: number[] } | null>(null);
  const [draft, setDraft] = createSignal<Pt[]>([]);
  const [hover, setHover] = createSignal<Pt | null>(null);
  const [spaceDown, setSpaceDown] = createSignal(false);
  const [overShape, setOverShape] = createSignal<'shape' | 'handle' | null>(null);

  const kind = () => DRAW_KINDS[props.tool] ?? null;
  const byId = createMemo(() => new Map(props.shapes.map((s) => [s.id, s] as const)));
  const visible = (s: Shape) => !props.hidden.has(s.id);
  const selectedShape = () => (props.selected ? byId().get(props.selected) ?? null : null);
  const editable = (s: Shape) => !props.readOnly && props.tool === 'select' && !props.locked.has(s.id);

  // ---- view
  /** The view the last fit gave: a resize fits again only while the view is still that one. */
  let fitted: View | null = null;
  const fit = () => {
    const r = viewport.getBoundingClientRect();
    if (r.width > 0) setView((fitted = fitView(r.width, r.height, props.width, props.height)));
  };
  const toImage = (e: { clientX: number; clientY: number }, clampIt = true): Pt => {
    const r = viewport.getBoundingClientRect();
    const v = view();
    const x = (e.clientX - r.left - v.tx) / v.s, y = (e.clientY - r.top - v.ty) / v.s;
    return clampIt ? { x: clamp(x, 0, props.width), y: clamp(y, 0, props.height) } : { x, y };
  };

  // ---- hit-testing (topmost first: the selected shape, then later shapes)
  const index = new ShapeIndex<Shape>(cellFor(props.width, props.height));
  createEffect(() => index.sync(props.shapes));
  const shapesAt = (p: Pt): Shape[] => {
    const tol = 5 / view().s;
    const pv = preview();
    const near = index.query([p.x - tol, p.y - tol, p.x + tol, p.y + tol]);
    // The shape being dragged is where its preview is, not where the index has it.
    const dragged = pv ? index.get(pv.id) : undefined;
    if (dragged && !near.includes(dragged)) near.push(dragged), near.sort((a, b) => index.order(a.id) - index.order(b.id));
    const out: Shape[] = [];
    for (let i = near.length - 1; i >= 0; i--) {
      const s = near[i]!;
      if (visible(s) && hits(s.kind, s.id === pv?.id ? pv.points : s.points, p, tol)) out.push(s);
    }
    const sel = selectedShape();
    const i = sel ? out.findIndex((s) => s.id === sel.id) : -1;
    if (i > 0) out.unshift(...out.splice(i, 1));
    return out;
  };
  const handlesOf = (s: Shape, p = s.points): Pt[] => {
    if (s.kind === 'box') return [{ x: p[0], y: p[1] }, { x: p[0] + p[2], y: p[1] }, { x: p[0] + p[2], y: p[1] + p[3] }, { x: p[0], y: p[1] + p[3] }];
    if (s.kind === 'point') return [];
    return pairs(p);
  };
  const handleAt = (p: Pt): number | null => {
    const s = selectedShape();
    if (!s || !editable(s)) return null;
    const tol = HANDLE_PX / view().s;
    const hs = handlesOf(s);
    for (let i = hs.length - 1; i >= 0; i--) if (Math.abs(hs[i]!.x - p.x) <= tol && Math.abs(hs[i]!.y - p.y) <= tol) return i;
    return null;
  };

  // ---- drawing
  const finishDraft = () => {
    const k = kind();
    const pts = draft();
    if ((k === 'polygon' && pts.length >= 3) || (k === 'polyline' && pts.length >= 2)) {
      props.onCreate(k, pts.flatMap((p) => [p.x, p.y]));
      setDraft([]);
      return true;
    }
    return false;
  };
  const cancelDraft = (lastOnly = false) => {
    if (draft().length === 0) return false;
    setDraft(lastOnly ? draft().slice(0, -1) : []);
    return true;
  };
  createEffect(() => {
    props.tool;
    untrack(() => setDraft([]));
  });
  const closable = () => {
    const d = draft(), h = hover();
    return kind() === 'polygon' && d.length >= 3 && !!h && Math.hypot(d[0]!.x - h.x, d[0]!.y - h.y) * view().s <= CLOSE_PX;
  };

  // ---- layers
  const scene = new ShapeScene(cellFor(props.width, props.height));
  /** Image rects of the shapes layer to draw again. */
  let dirty: Rect[] = [];
  /** The whole layer is to be drawn again (at the current view and size). */
  let full = true;
  createEffect(() => {
    const skip = props.selected;
    const list: Drawable[] = [];
    for (const s of props.shapes) {
      if (s.id === skip || !visible(s)) continue;
      list.push({ id: s.id, kind: s.kind, points: s.points, color: props.colorOf(s.label), label: props.labelOf(s), src: s });
    }
    const changed = scene.update(list);
    if (!changed.length) return;
    if (changed.length > 400) full = true;
    else dirty.push(...changed);
    schedule();
  });
  const overlay = createMemo<Overlay>(() => {
    const s = selectedShape();
    const d = drag();
    const pv = preview();
    const sel = s && visible(s) ? { ...s, points: pv?.id === s.id ? pv.points : s.points } : null;
    return {
      selected: sel && s
        ? { id: s.id, kind: s.kind, points: sel.points, color: props.colorOf(s.label), label: props.labelOf(s), handles: editable(s) ? handlesOf(s, sel.points) : [], locked: props.locked.has(s.id), vertex: props.vertex }
        : null,
      peers: props.peers.flatMap((p) => {
        const ps = p.selection ? byId().get(p.selection) : undefined;
        return ps && visible(ps) ? [{ kind: ps.kind, points: ps.points, color: p.user.color }] : [];
      }),
      draft: kind() && kind() !== 'box' && draft().length ? { kind: kind()!, points: draft(), hover: hover(), closable: closable() } : null,
      boxDrag: d?.type === 'box' ? boxFrom(d.a, d.b) as [number, number, number, number] : null,
    };
  });
  /** Crosshair guide lines at the pointer, while a drawing tool is active. */
  const crosshair = () => (kind() && !props.readOnly && hover() ? screen(hover()!) : null);
  /** Whether the overlay canvas shows anything (an empty one is neither drawn nor composited). */
  let topShown = false;
  let frame = 0;
  let topDirty = true;
  // The shapes layer is two canvases, a margin larger than the viewport on every side: the one
  // shown (front) and the one a full redraw goes to (back), which become the front when it is done.
  // Between full redraws the front follows the view by a CSS transform (compositor only), so pan
  // and zoom never draw shapes; a full redraw (the view settled, labels toggled, a resize) runs in
  // slices of a few milliseconds and meanwhile the front keeps showing the old bitmap, scaled.
  let back!: HTMLCanvasElement;
  /** The view and css size the front was drawn at (null until the first full redraw is done). */
  let shown: { view: View; w: number; h: number } | null = null;
  let job: { view: View; w: number; h: number; dpr: number; labels: boolean; dirty: Rect[]; cancel(): void } | null = null;
  let rasters = 0;
  let settle: ReturnType<typeof setTimeout> | undefined;
  /** A view in the layer's own coordinates (its top-left is MARGIN css px above and left of the viewport's). */
  const inLayer = (v: View): View => ({ s: v.s, tx: v.tx + MARGIN, ty: v.ty + MARGIN });
  const same = (a: View, b: View) => a.s === b.s && a.tx === b.tx && a.ty === b.ty;
  /** Moves the front from the view it was drawn at to `v`. */
  const follow = (v: View) => {
    const d = shown?.view;
    if (!d) return;
    const k = v.s / d.s;
    base.style.transform = same(d, v) ? '' : `translate(${v.tx + MARGIN - k * (MARGIN + d.tx)}px, ${v.ty + MARGIN - k * (MARGIN + d.ty)}px) scale(${k})`;
  };
  const settleLater = () => {
    clearTimeout(settle);
    // A pan still held has not settled: it is drawn again when it is let go (onPointerUp).
    if (untrack(drag)?.type === 'pan') return;
    settle = setTimeout(() => {
      full = true;
      schedule();
    }, SETTLE_MS);
  };
  const drawnCount = () => String(scene.count + (overlay().selected ? 1 : 0));
  const startFull = () => {
    job?.cancel();
    const { w, h, dpr } = size();
    const v = view();
    const lw = w + 2 * MARGIN, lh = h + 2 * MARGIN;
    if (back.width !== Math.round(lw * dpr) || back.height !== Math.round(lh * dpr)) {
      back.width = Math.round(lw * dpr);
      back.height = Math.round(lh * dpr);
    }
    back.style.width = `${lw}px`;
    back.style.height = `${lh}px`;
    const ctx = back.getContext('2d')!;
    const slices = scene.rasterise(ctx, inLayer(v), lw, lh, dpr, props.showLabels);
    const j = { view: v, w: lw, h: lh, dpr, labels: props.showLabels, dirty: [] as Rect[], cancel: () => {} };
    job = j;
    base.dataset.raster = 'pending';
    j.cancel = runSliced(slices.step, () => finish(j));
  };
  /** A full redraw is done: the shapes that changed meanwhile are drawn into it, and it becomes the front. */
  const finish = (j: NonNullable<typeof job>) => {
    job = null;
    const ctx = back.getContext('2d')!;
    if (j.dirty.length && !scene.drawRegion(ctx, inLayer(j.view), j.w, j.h, j.dpr, j.labels, j.dirty)) return startFull();
    [base, back] = [back, base];
    base.dataset.testid = 'shapes-layer';
    delete back.dataset.testid;
    base.style.display = '';
    back.style.display = 'none';
    shown = { view: j.view, w: j.w, h: j.h };
    follow(view());
    // Drawn for a view the user has since left (the first redraw is never dropped): draw again once it settles.
    if (!same(j.view, view())) settleLater();
    base.dataset.redraw = 'all';
    base.dataset.raster = 'done';
    base.dataset.rasters = String(++rasters);
    base.dataset.drawn = drawnCount();
  };
  const paint = () => {
    frame = 0;
    const { w, h, dpr } = size();
    if (!w) return;
    const v = view();
    if (full) {
      full = false;
      dirty = [];
      clearTimeout(settle);
      startFull();
    } else if (dirty.length) {
      job?.dirty.push(...dirty);
      if (shown && scene.drawRegion(base.getContext('2d')!, inLayer(shown.view), shown.w, shown.h, dpr, props.showLabels, dirty)) {
        base.dataset.redraw = 'region';
        base.dataset.drawn = drawnCount();
      } else if (!job) startFull();
      dirty = [];
    }
    if (topDirty) {
      topDirty = false;
      const o = overlay();
      const r = overlayBounds(o, v, w, h);
      if (!r) {
        if (topShown) top.style.display = 'none';
        topShown = false;
      } else {
        // Sized to what it shows, in steps of 64 px so that a drag does not reallocate it every frame.
        const cw = Math.ceil((r[2] - r[0]) / 64) * 64, ch = Math.ceil((r[3] - r[1]) / 64) * 64;
        if (top.width !== Math.round(cw * dpr) || top.height !== Math.round(ch * dpr)) {
          top.width = Math.round(cw * dpr);
          top.height = Math.round(ch * dpr);
          top.style.width = `${cw}px`;
          top.style.height = `${ch}px`;
        }
        top.style.transform = `translate(${r[0]}px, ${r[1]}px)`;
        if (!topShown) top.style.display = '';
        topShown = true;
        drawOverlay(top.getContext('2d')!, o, v, dpr, { x: r[0], y: r[1] });
      }
    }
  };
  const schedule = () => {
    if (!frame) frame = requestAnimationFrame(paint);
  };
  // Labels or the canvas size changed: redraw the whole shapes layer.
  createEffect(() => {
    size();
    props.showLabels;
    full = true;
    schedule();
  });
  // The view changed (pan, zoom): move the front on the compositor at once, and redraw it crisp at
  // the new view once the gesture pauses; a redraw under way for another view is dropped (unless
  // nothing is shown yet).
  createEffect(() => {
    const v = view();
    if (!shown) return;
    follow(v);
    clearTimeout(settle);
    if (job && !same(job.view, v)) {
      job.cancel();
      job = null;
    }
    if (!same(shown.view, v)) settleLater();
  });
  createEffect(() => {
    overlay();
    view();
    size();
    topDirty = true;
    schedule();
  });
  onCleanup(() => {
    clearTimeout(settle);
    job?.cancel();
  });

  onMount(() => {
    const resize = () => {
      const r = viewport.getBoundingClientRect();
      const dpr = window.devicePixelRatio || 1;
      setSize({ w: r.width, h: r.height, dpr });
      // A bar appearing above the canvas must not undo the user's zoom and pan.
      if (!fitted || view() === fitted) fit();
    };
    resize();
    const ro = new ResizeObserver(resize);
    ro.observe(viewport);
    const key = (e: KeyboardEvent) => {
      if (e.code === 'Space' && !(e.target instanceof HTMLInputElement || e.target instanceof HTMLTextAreaElement)) {
        setSpaceDown(e.type === 'keydown');
        if (e.target === document.body || e.target === viewport) e.preventDefault();
      }
    };
    window.addEventListener('keydown', key);
    window.addEventListener('keyup', key);
    onCleanup(() => {
      ro.disconnect();
      if (frame) cancelAnimationFrame(frame);
      window.removeEventListener('keydown', key);
      window.removeEventListener('keyup', key);
    });
    props.api({
      finishDraft,
      cancelDraft,
      cycle: () => {
        const h = hover();
        if (!h) return;
        const under = shapesAt(h);
        if (!under.length) return;
        // shapesAt puts the selected one first: the next one down is the one after it.
        props.onSelect((props.selected && under[0]!.id === props.selected ? under[1 % under.length]! : under[0]!).id);
      },
      fit,
      zoom: (f) => {
        const r = viewport.getBoundingClientRect();
        setView(zoomAt(view(), f, r.width / 2, r.height / 2));
      },
    });
  });

  // ---- pointer input
  const onWheel = (e: WheelEvent) => {
    e.preventDefault();
    const r = viewport.getBoundingClientRect();
    setView(zoomAt(view(), Math.exp(-e.deltaY * 0.0015), e.clientX - r.left, e.clientY - r.top));
  };

  const onPointerDown = (e: PointerEvent) => {
    viewport.focus();
    const p = toImage(e);
    const k = kind();
    const drawing = !!k && !props.readOnly;
    if (e.button === 1 || spaceDown()) {
      setDrag({ type: 'pan', x: e.clientX, y: e.clientY, view: view() });
    } else if (e.button !== 0) {
      return;
    } else if (drawing && k === 'box') {
      setDrag({ type: 'box', a: p, b: p });
    } else if (drawing && k === 'point') {
      props.onCreate('point', [p.x, p.y]);
      return;
    } else if (drawing) {
      if (closable()) {
        finishDraft();
        return;
      }
      // The second click of a double-click lands on the last point: it finishes (see onDblClick), never duplicates.
      const last = draft()[draft().length - 1];
      if (!last || Math.hypot(last.x - p.x, last.y - p.y) * view().s > 3) setDraft([...draft(), p]);
      return;
    } else {
      const sel = selectedShape();
      const h = handleAt(p);
      if (sel && h !== null) {
        if (e.altKey && sel.kind !== 'box') {
          const next = removeVertex(sel.kind, sel.points, h);
          if (next) props.onChange(sel.id, next);
          props.onVertex(null);
          return;
        }
        if (sel.kind !== 'box') props.onVertex(h);
        setDrag({ type: 'handle', id: sel.id, index: h, kind: sel.kind, orig: sel.points });
      } else if (sel && editable(sel) && (sel.kind === 'polygon' || sel.kind === 'polyline') && edgeHit(sel, p, e.altKey || sel.kind === 'polygon')) {
        const edge = nearestEdge(sel.points, sel.kind === 'polygon', p)!;
        const next = insertVertex(sel.points, edge.index, edge.at);
        props.onVertex(edge.index + 1);
        setPreview({ id: sel.id, points: next });
        setDrag({ type: 'handle', id: sel.id, index: edge.index + 1, kind: sel.kind, orig: next });
      } else {
        const hit = shapesAt(p)[0];
        if (!hit) {
          props.onSelect(null);
          setDrag({ type: 'pan', x: e.clientX, y: e.clientY, view: view() });
        } else {
          if (hit.id !== props.selected) props.onSelect(hit.id);
          props.onVertex(null);
          if (editable(hit)) setDrag({ type: 'move', id: hit.id, start: p, orig: hit.points, kind: hit.kind });
        }
      }
    }
    viewport.setPointerCapture(e.pointerId);
  };
  /** On the outline of the selected polygon/polyline (an edge click adds a vertex there). */
  const edgeHit = (s: Shape, p: Pt, allowed: boolean) => {
    if (!allowed) return false;
    const edge = nearestEdge(s.points, s.kind === 'polygon', p);
    return !!edge && edge.d * view().s <= 5;
  };

  const onPointerMove = (e: PointerEvent) => {
    const p = toImage(e);
    setHover(p);
    props.onCursor(p);
    const d = drag();
    if (!d) {
      if (props.tool === 'select') setOverShape(handleAt(p) !== null ? 'handle' : shapesAt(p).length ? 'shape' : null);
      return;
    }
    if (d.type === 'pan') setView({ ...d.view, tx: d.view.tx + e.clientX - d.x, ty: d.view.ty + e.clientY - d.y });
    else if (d.type === 'box') setDrag({ ...d, b: p });
    else if (d.type === 'move') setPreview({ id: d.id, points: translate(d.kind, d.orig, p.x - d.start.x, p.y - d.start.y, props.width, props.height) });
    else if (d.type === 'handle') setPreview({ id: d.id, points: d.kind === 'box' ? resizeBox(d.orig, d.index, p) : moveVertex(d.orig, d.index, p) });
  };

  const onPointerUp = (e: PointerEvent) => {
    const d = drag();
    setDrag(null);
    if (viewport.hasPointerCapture(e.pointerId)) viewport.releasePointerCapture(e.pointerId);
    if (!d) return;
    if (d.type === 'pan' && shown && !same(shown.view, view())) settleLater();
    if (d.type === 'box') {
      const b = boxFrom(d.a, d.b);
      if (b[2] * view().s >= 3 && b[3] * view().s >= 3) props.onCreate('box', b);
    } else if (d.type === 'move' || d.type === 'handle') {
      const pv = preview();
      setPreview(null);
      const orig = byId().get(d.id)?.points ?? d.orig;
      if (pv && (pv.points.length !== orig.length || pv.points.some((v, i) => v !== orig[i]))) {
        if (d.kind !== 'box' || (pv.points[2] > 0 && pv.points[3] > 0)) props.onChange(pv.id, pv.points);
      }
    }
  };

  const cursor = () => {
    if (drag()?.type === 'pan') return 'grabbing';
    if (spaceDown()) return 'grab';
    if (props.tool !== 'select') return props.readOnly ? 'default' : 'crosshair';
    return overShape() === 'handle' ? 'crosshair' : overShape() === 'shape' ? (props.readOnly ? 'pointer' : 'move') : 'default';
  };
  const screen = (p: Pt) => ({ x: view().tx + p.x * view().s, y: view().ty + p.y * view().s });

  return (
    <div
      class="canvas"
      ref={viewport}
      tabIndex={0}
      data-testid="canvas"
      data-tool={props.tool}
      style={{ cursor: cursor() }}
      onWheel={onWheel}
      onPointerDown={onPointerDown}
      onPointerMove={onPointerMove}
      onPointerUp={onPointerUp}
      onPointerLeave={() => {
        setHover(null);
        setOverShape(null);
        props.onCursor(null);
      }}
      onDblClick={() => kind() && kind() !== 'box' && finishDraft()}
      onContextMenu={(e) => e.preventDefault()}
    >
      <div
        class="stage"
        style={{ width: `${props.width}px`, height: `${props.height}px`, transform: `translate(${view().tx}px, ${view().ty}px) scale(${view().s})` }}
      >
        <img src={props.src} width={props.width} height={props.height} draggable={false} alt="" data-testid="canvas-image" />
      </div>
      <canvas class="layer shapes" ref={base} data-testid="shapes-layer" style={{ left: `${-MARGIN}px`, top: `${-MARGIN}px` }} />
      <canvas class="layer shapes" ref={back} style={{ left: `${-MARGIN}px`, top: `${-MARGIN}px`, display: 'none' }} />
      <canvas class="layer" ref={top} style={{ display: 'none' }} />
      <Show when={crosshair()}>
        {(c) => (
          <>
            <div class="guide" style={{ ...GUIDE, width: '100%', 'border-top': GUIDE_LINE, transform: `translateY(${Math.round(c().y)}px)` }} />
            <div class="guide" style={{ ...GUIDE, height: '100%', 'border-left': GUIDE_LINE, transform: `translateX(${Math.round(c().x)}px)` }} />
          </>
        )}
      </Show>
      <For each={props.peers.filter((p) => p.cursor)}>
        {(peer) => (
          <div class="peer-cursor" data-testid="peer-cursor" data-color={peer.user.color} style={{ transform: `translate(${screen(peer.cursor!).x}px, ${screen(peer.cursor!).y}px)` }}>
            <svg width="14" height="18" viewBox="0 0 14 18" aria-hidden="true">
              <path d="M1 1 L1 16 L5 12 L12 12 Z" fill={peer.user.color} stroke="#fff" stroke-width="1.4" />
            </svg>
            <span style={{ background: peer.user.color }}>{peer.user.name}</span>
          </div>
        )}
      </For>
      <For each={(props.pins ?? []).filter((p) => p.kind === 'point' || (byId().has(p.shapeId) && visible(byId().get(p.shapeId)!)))}>
        {(pin) => {
          // A shape's pin sits on its top-right corner, a point's pin on the point (its tail is the pin's bottom-left).
          const at = () => {
            if (pin.kind === 'point') return screen({ x: pin.x, y: pin.y });
            const s = byId().get(pin.shapeId)!;
            const pts = s.points;
            const xs = s.kind === 'box' ? [pts[0]!, pts[0]! + pts[2]!] : pts.filter((_, i) => i % 2 === 0);
            const ys = s.kind === 'box' ? [pts[1]!] : pts.filter((_, i) => i % 2 === 1);
            return screen({ x: Math.max(...xs), y: Math.min(...ys) });
          };
          const count = pin.kind === 'shape' ? pin.count : 1;
          return (
            <button
              type="button"
              class={pin.kind === 'point' ? 'comment-pin point' : 'comment-pin'}
              data-testid="comment-pin"
              data-shape={pin.kind === 'shape' ? pin.shapeId : undefined}
              data-thread={pin.kind === 'point' ? pin.threadId : undefined}
              title={pin.kind === 'point' ? 'An open thread on this spot: show' : `${plural(count, 'open thread')}: show`}
              style={{ transform: `translate(${at().x - 2}px, ${at().y - 26}px)` }}
              onPointerDown={(e) => e.stopPropagation()}
              onClick={(e) => {
                e.stopPropagation();
                props.onPin?.(pin);
              }}
            >
              {count}
            </button>
          );
        }}
      </For>
      <div class="zoom-info">{Math.round(view().s * 100)}%</div>
    </div>
  );
}
