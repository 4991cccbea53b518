// The annotation canvas: the image at natural pixel coordinates inside a zoom/pan transform, with
// an SVG overlay of shapes. Drawing boxes (drag) and polygons (click points, Enter/double-click to
// close), selecting, moving, resizing; others' cursors and selections. Knows nothing of Yjs.
import { createSignal, For, onCleanup, onMount, Show } from 'solid-js';
import type { Shape } from '../state/annotations.ts';
import type { Peer } from '../state/presence.ts';
import { boxFrom, clamp, fitView, labelAnchor, moveVertex, pairs, resizeBox, svgPoints, translate, zoomAt, type Pt, type View } from './geometry.ts';

export type Tool = 'select' | 'box' | 'polygon';

export interface CanvasApi {
  /** Closes the polygon being drawn; false when there is none to close. */
  closePolygon(): boolean;
  /** Drops the polygon being drawn (or its last point with `lastOnly`); false when there is none. */
  cancelDraft(lastOnly?: boolean): boolean;
  fit(): void;
  zoom(factor: number): void;
}

export interface CanvasProps {
  src: string;
  width: number;
  height: number;
  shapes: readonly Shape[];
  colorOf(label: string): string;
  nameOf(label: string): string;
  tool: Tool;
  readOnly: boolean;
  selected: string | null;
  onSelect(id: string | null): void;
  onCreate(kind: 'box' | 'polygon', points: number[]): void;
  onChange(id: string, points: number[]): void;
  peers: readonly Peer[];
  onCursor(p: Pt | null): void;
  api(api: CanvasApi): void;
}

type Drag =
  | { type: 'pan'; x: number; y: number; view: View }
  | { type: 'box'; a: Pt; b: Pt }
  | { type: 'move'; id: string; start: Pt; orig: readonly number[]; kind: Shape['kind'] }
  | { type: 'handle'; id: string; index: number; kind: Shape['kind']; orig: readonly number[] };

export function Canvas(props: CanvasProps) {
  let viewport!: HTMLDivElement;
  const [view, setView] = createSignal<View>({ s: 1, tx: 0, ty: 0 });
  const [drag, setDrag] = createSignal<Drag | null>(null);
  const [preview, setPreview] = createSignal<{ id: string; points: number[] } | null>(null);
  const [draft, setDraft] = createSignal<Pt[]>([]);
  const [hover, setHover] = createSignal<Pt | null>(null);
  const [spaceDown, setSpaceDown] = createSignal(false);

  const fit = () => {
    const r = viewport.getBoundingClientRect();
    if (r.width > 0) setView(fitView(r.width, r.height, props.width, props.height));
  };
  const toImage = (e: { clientX: number; clientY: number }): Pt => {
    const r = viewport.getBoundingClientRect();
    const v = view();
    return { x: clamp((e.clientX - r.left - v.tx) / v.s, 0, props.width), y: clamp((e.clientY - r.top - v.ty) / v.s, 0, props.height) };
  };
  const closePolygon = () => {
    const pts = draft();
    if (pts.length < 3) return false;
    props.onCreate('polygon', pts.flatMap((p) => [p.x, p.y]));
    setDraft([]);
    return true;
  };
  const cancelDraft = (lastOnly = false) => {
    if (draft().length === 0) return false;
    setDraft(lastOnly ? draft().slice(0, -1) : []);
    return true;
  };

  onMount(() => {
    fit();
    const ro = new ResizeObserver(() => fit());
    ro.observe(viewport);
    const key = (e: KeyboardEvent) => {
      if (e.code === 'Space' && !(e.target instanceof HTMLInputElement || e.target instanceof HTMLTextAreaElement)) setSpaceDown(e.type === 'keydown');
    };
    window.addEventListener('keydown', key);
    window.addEventListener('keyup', key);
    onCleanup(() => {
      ro.disconnect();
      window.removeEventListener('keydown', key);
      window.removeEventListener('keyup', key);
    });
    props.api({
      closePolygon,
      cancelDraft,
      fit,
      zoom: (f) => {
        const r = viewport.getBoundingClientRect();
        setView(zoomAt(view(), f, r.width / 2, r.height / 2));
      },
    });
  });

  const onWheel = (e: WheelEvent) => {
    e.preventDefault();
    const r = viewport.getBoundingClientRect();
    setView(zoomAt(view(), Math.exp(-e.deltaY * 0.0015), e.clientX - r.left, e.clientY - r.top));
  };

  const onPointerDown = (e: PointerEvent) => {
    viewport.focus();
    const p = toImage(e);
    const target = e.target as Element;
    const handle = target.closest('[data-handle]');
    const shapeEl = target.closest('[data-shape-id]');
    if (e.button === 1 || spaceDown() || (e.button === 0 && props.tool === 'select' && !shapeEl && !handle)) {
      if (e.button === 0 && props.tool === 'select') props.onSelect(null);
      setDrag({ type: 'pan', x: e.clientX, y: e.clientY, view: view() });
    } else if (e.button !== 0) {
      return;
    } else if (props.tool === 'box' && !props.readOnly) {
      setDrag({ type: 'box', a: p, b: p });
    } else if (props.tool === 'polygon' && !props.readOnly) {
      // The second click of a double-click lands on the last point: it closes (see onDblClick), never duplicates.
      const last = draft()[draft().length - 1];
      if (!last || Math.hypot(last.x - p.x, last.y - p.y) * view().s > 3) setDraft([...draft(), p]);
      return;
    } else if (handle && !props.readOnly) {
      const id = handle.getAttribute('data-handle')!;
      const shape = props.shapes.find((s) => s.id === id);
      if (!shape) return;
      setDrag({ type: 'handle', id, index: Number(handle.getAttribute('data-index')), kind: shape.kind, orig: shape.points });
    } else if (shapeEl) {
      const id = shapeEl.getAttribute('data-shape-id')!;
      props.onSelect(id);
      const shape = props.shapes.find((s) => s.id === id);
      if (shape && !props.readOnly) setDrag({ type: 'move', id, start: p, orig: shape.points, kind: shape.kind });
    }
    viewport.setPointerCapture(e.pointerId);
  };

  const onPointerMove = (e: PointerEvent) => {
    const p = toImage(e);
    setHover(p);
    props.onCursor(p);
    const d = drag();
    if (!d) return;
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
    if (d.type === 'box') {
      const b = boxFrom(d.a, d.b);
      if (b[2] * view().s >= 3 && b[3] * view().s >= 3) props.onCreate('box', b);
    } else if (d.type === 'move' || d.type === 'handle') {
      const pv = preview();
      setPreview(null);
      if (pv && pv.points.some((v, i) => v !== d.orig[i])) {
        if (d.kind !== 'box' || (pv.points[2] > 0 && pv.points[3] > 0)) props.onChange(pv.id, pv.points);
      }
    }
  };

  const pointsOf = (s: Shape) => (preview()?.id === s.id ? preview()!.points : s.points);
  const inv = () => 1 / view().s;
  const cursor = () => (drag()?.type === 'pan' ? 'grabbing' : spaceDown() ? 'grab' : props.tool === 'select' ? 'default' : 'crosshair');

  return (
    <div
      class="canvas"
      ref={viewport}
      tabIndex={0}
      data-testid="canvas"
      style={{ cursor: cursor() }}
      onWheel={onWheel}
      onPointerDown={onPointerDown}
      onPointerMove={onPointerMove}
      onPointerUp={onPointerUp}
      onPointerLeave={() => {
        setHover(null);
        props.onCursor(null);
      }}
      onDblClick={() => props.tool === 'polygon' && closePolygon()}
      onContextMenu={(e) => e.preventDefault()}
    >
      <div
        class="stage"
        style={{ width: `${props.width}px`, height: `${props.height}px`, transform: `translate(${view().tx}px, ${view().ty}px) scale(${view().s})` }}
      >
        <img src={props.src} width={props.width} height={props.height} draggable={false} alt="" data-testid="canvas-image" />
        <svg class="overlay" width={props.width} height={props.height} viewBox={`0 0 ${props.width} ${props.height}`}>
          <For each={props.shapes}>
            {(s) => (
              <ShapeView
                shape={s}
                points={pointsOf(s)}
                color={props.colorOf(s.label)}
                name={props.nameOf(s.label)}
                selected={props.selected === s.id}
                editable={!props.readOnly && props.tool === 'select'}
                inv={inv()}
              />
            )}
          </For>
          <For each={props.peers.filter((p) => p.selection)}>
            {(peer) => {
              const s = () => props.shapes.find((x) => x.id === peer.selection);
              return (
                <Show when={s()}>
                  {(shape) => <Outline shape={shape()} color={peer.user.color} />}
                </Show>
              );
            }}
          </For>
          <Show when={drag()?.type === 'box' ? (drag() as Extract<Drag, { type: 'box' }>) : null}>
            {(d) => {
              const b = () => boxFrom(d().a, d().b);
              return <rect class="draft" x={b()[0]} y={b()[1]} width={b()[2]} height={b()[3]} />;
            }}
          </Show>
          <Show when={draft().length > 0}>
            <polyline class="draft" points={svgPoints([...draft(), ...(hover() ? [hover()!] : [])].flatMap((p) => [p.x, p.y]))} />
            <For each={draft()}>{(p, i) => <circle class={i() === 0 ? 'vertex first' : 'vertex'} cx={p.x} cy={p.y} r={4 * inv()} />}</For>
          </Show>
          <For each={props.peers.filter((p) => p.cursor)}>
            {(peer) => (
              <g class="peer-cursor" transform={`translate(${peer.cursor!.x} ${peer.cursor!.y}) scale(${inv()})`}>
                <path d="M0 0 L0 15 L4 11 L11 11 Z" fill={peer.user.color} stroke="#fff" stroke-width="1.2" />
                <rect x="10" y="12" rx="3" width={peer.user.name.length * 6.5 + 10} height="16" fill={peer.user.color} />
                <text x="15" y="24">{peer.user.name}</text>
              </g>
            )}
          </For>
        </svg>
      </div>
      <div class="zoom-info">{Math.round(view().s * 100)}%</div>
    </div>
  );
}

function ShapeView(props: { shape: Shape; points: number[]; color: string; name: string; selected: boolean; editable: boolean; inv: number }) {
  const style = () => ({ stroke: props.color, fill: props.color });
  const a = () => labelAnchor(props.shape.kind, props.points);
  const handles = (): Pt[] => {
    const p = props.points;
    if (props.shape.kind === 'box') return [{ x: p[0], y: p[1] }, { x: p[0] + p[2], y: p[1] }, { x: p[0] + p[2], y: p[1] + p[3] }, { x: p[0], y: p[1] + p[3] }];
    return pairs(p);
  };
  return (
    <g class={props.selected ? 'shape selected' : 'shape'} data-shape-id={props.shape.id} data-testid="shape" data-kind={props.shape.kind}>
      {props.shape.kind === 'box' ? (
        <rect x={props.points[0]} y={props.points[1]} width={props.points[2]} height={props.points[3]} style={style()} />
      ) : props.shape.kind === 'polygon' ? (
        <polygon points={svgPoints(props.points)} style={style()} />
      ) : props.shape.kind === 'polyline' ? (
        <polyline points={svgPoints(props.points)} style={{ ...style(), fill: 'none' }} />
      ) : (
        <circle cx={props.points[0]} cy={props.points[1]} r={5 * props.inv} style={style()} />
      )}
      <g transform={`translate(${a().x} ${a().y}) scale(${props.inv})`} class="shape-label">
        <rect x="0" y="-18" width={Math.max(24, props.name.length * 7 + 10)} height="18" fill={props.color} />
        <text x="5" y="-5">{props.name}</text>
      </g>
      <Show when={props.selected && props.editable}>
        <For each={handles()}>
          {(h, i) => <rect class="handle" data-handle={props.shape.id} data-index={i()} x={h.x - 4 * props.inv} y={h.y - 4 * props.inv} width={8 * props.inv} height={8 * props.inv} />}
        </For>
      </Show>
    </g>
  );
}

function Outline(props: { shape: Shape; color: string }) {
  const p = () => props.shape.points;
  return props.shape.kind === 'box' ? (
    <rect class="peer-selection" x={p()[0]} y={p()[1]} width={p()[2]} height={p()[3]} style={{ stroke: props.color }} />
  ) : (
    <polygon class="peer-selection" points={svgPoints(p())} style={{ stroke: props.color }} />
  );
}
