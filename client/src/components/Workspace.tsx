// The annotate workspace: toolbar (tools, view, presence, sync status), the image tag bar, the
// canvas and the side panel (class, shapes, attributes, comments, keyboard hints). Keys are bound
// here from the one keymap table (shared/keymap.ts). Works on state objects from
// client/src/state; never touches Yjs.
import { createEffect, createMemo, createSignal, For, on, onCleanup, onMount, Show, type JSX } from 'solid-js';
import { actionFor, type ActionId } from '../../../shared/keymap.ts';
import type { ShapeKind } from '../../../shared/doc/index.ts';
import type { ImageInfo, LabelClass } from '../api.ts';
import type { AnnotationsState, Shape } from '../state/annotations.ts';
import type { CommentsState } from '../state/comments.ts';
import type { PresenceState } from '../state/presence.ts';
import type { UndoResult } from '../state/undo.ts';
import type { SyncStatus } from '../sync/connection.ts';
import { AttributesPanel } from './AttributesPanel.tsx';
import { Canvas, type CanvasApi, type Pin, type Tool } from './Canvas.tsx';
import { ClassPicker } from './ClassPicker.tsx';
import { CommentsPanel } from './CommentsPanel.tsx';
import { placeInside } from './geometry.ts';
import { PresenceBar } from './PresenceBar.tsx';
import { ShapeList } from './ShapeList.tsx';
import { KeyHints, ShortcutSheet } from './ShortcutSheet.tsx';
import { StatusBadge } from './StatusBadge.tsx';
import { TagBar } from './TagBar.tsx';
import { plural } from '../../../shared/plural.ts';

export interface WorkspaceProps {
  image: ImageInfo;
  src: string;
  classes: readonly LabelClass[];
  readOnly: boolean;
  loaded: boolean;
  status: SyncStatus;
  /** Local edits not yet on the server. */
  pending: number;
  /** Why the server refused the connection, when it did. */
  refusal?: string | null;
  annotations: AnnotationsState;
  comments: CommentsState;
  presence: PresenceState;
  nameOf(userId: string): string;
  /** This user, as shown in the presence bar. */
  me?: { id: string; name: string; color: string };
  /** Step to the previous / next image of the grid, when there is one. */
  onPrev?: () => void;
  onNext?: () => void;
  /** The review bar (status, moves, the reviewer's reason), shown above the canvas. */
  review?: (ctx: { selected: () => { id: string; name: string } | null; select(id: string): void }) => JSX.Element;
  /** Review hotkeys (shared/keymap.ts `review.*`). */
  onReviewKey?: (id: 'review.submit' | 'review.approve' | 'review.requestChanges') => void;
}

const TOOLS: { id: Tool; label: string; key: string; action: ActionId; draws: boolean }[] = [
  { id: 'select', label: 'Select', key: 'V', action: 'tool.select', draws: false },
  { id: 'box', label: 'Box', key: 'B', action: 'tool.box', draws: true },
  { id: 'polygon', label: 'Polygon', key: 'P', action: 'tool.polygon', draws: true },
  { id: 'polyline', label: 'Polyline', key: 'L', action: 'tool.polyline', draws: true },
  { id: 'point', label: 'Point', key: 'O', action: 'tool.point', draws: true },
];

const CLIPBOARD = 'tessera:clipboard';
interface Clip { kind: ShapeKind; label: string; points: number[]; attrs: Record<string, unknown>; from: string }

const isTyping = (t: EventTarget | null) => t instanceof HTMLInputElement || t instanceof HTMLTextAreaElement || t instanceof HTMLSelectElement;

export function Workspace(props: WorkspaceProps) {
  const [tool, setTool] = createSignal<Tool>(props.readOnly ? 'select' : 'box');
  const [selected, setSelected] = createSignal<string | null>(null);
  const [vertex, setVertex] = createSignal<number | null>(null);
  const [activeClass, setActiveClass] = createSignal<string | null>(props.classes[0]?.id ?? null);
  const [hidden, setHidden] = createSignal<ReadonlySet<string>>(new Set());
  const [locked, setLocked] = createSignal<ReadonlySet<string>>(new Set());
  const [showLabels, setShowLabels] = createSignal(true);
  const [sheet, setSheet] = createSignal(false);
  const [notice, setNotice] = createSignal<string | null>(null);
  let canvas: CanvasApi | undefined;

  const classById = createMemo(() => new Map<string, LabelClass>(props.classes.map((c) => [c.id, c])));
  const colorOf = (label: string) => classById().get(label)?.color ?? '#9e9e9e';
  const nameOf = (label: string) => classById().get(label)?.name ?? 'unknown class';
  const keyOf = (c: LabelClass): string | null => {
    if (c.hotkey) return c.hotkey;
    const i = props.classes.indexOf(c);
    const k = i < 9 ? String(i + 1) : null;
    return k && !props.classes.some((o) => o.hotkey === k) ? k : null;
  };
  const tools = () => TOOLS.filter((t) => !t.draws || !props.readOnly);
  const shapeById = createMemo(() => new Map(props.annotations.shapes.map((s) => [s.id, s])));
  const shapeOf = (id: string | null) => (id ? shapeById().get(id) ?? null : null);
  const shapeName = (s: Shape) => `${s.kind} #${s.n}`;

  createEffect(() => {
    if (props.readOnly && tool() !== 'select') setTool('select');
  });
  createEffect(() => props.presence.setSelection(selected()));
  createEffect(on(selected, () => setVertex(null)));
  createEffect(() => {
    const id = selected();
    if (id && !shapeOf(id)) setSelected(null);
  });
  let noticeTimer: ReturnType<typeof setTimeout> | undefined;
  const say = (text: string) => {
    setNotice(text);
    clearTimeout(noticeTimer);
    noticeTimer = setTimeout(() => setNotice(null), 6000);
  };
  onCleanup(() => clearTimeout(noticeTimer));

  /**
   * A class key: with a drawing tool it sets the class of the next shape only; in Select mode it
   * relabels the selected shape (CVAT's rule), so drawing car, person, bicycle… in a row never
   * relabels the shape just drawn.
   */
  const pickClass = (id: string) => {
    const s = shapeOf(selected());
    if (tool() === 'select' && s && !props.readOnly) {
      if (locked().has(s.id)) return say(`${shapeName(s)} is locked (K to unlock)`);
      if (s.label !== id) props.annotations.relabel(s.id, id);
      return;
    }
    setActiveClass(id);
  };
  const create = (kind: ShapeKind, points: number[]) => {
    const label = activeClass();
    if (props.readOnly) return;
    if (!label) return say('Pick a class first (a manager adds classes under the project’s Classes tab)');
    setSelected(props.annotations.add({ kind, label, points }));
  };
  /** One pin per shape with open threads, and one per open thread anchored on a point. */
  const pins = (): Pin[] => {
    const n = new Map<string, number>();
    const points: Pin[] = [];
    for (const t of props.comments.threads) {
      if (t.resolved) continue;
      if ('shapeId' in t.anchor) n.set(t.anchor.shapeId, (n.get(t.anchor.shapeId) ?? 0) + 1);
      else points.push({ kind: 'point', threadId: t.id, x: t.anchor.x, y: t.anchor.y });
    }
    return [...[...n].map(([shapeId, count]): Pin => ({ kind: 'shape', shapeId, count })), ...points];
  };
  const threadCount = (id: string) => props.comments.threads.filter((t) => 'shapeId' in t.anchor && t.anchor.shapeId === id && !t.resolved).length;
  const remove = (id: string) => {
    const s = shapeOf(id);
    if (!s) return;
    if (locked().has(id)) return say(`${shapeName(s)} is locked (K to unlock)`);
    const open = threadCount(id);
    if (open && !window.confirm(`${shapeName(s)} has ${plural(open, 'open comment thread')}. Delete it anyway? The threads stay on the image.`)) return;
    props.annotations.remove(id);
    if (selected() === id) setSelected(null);
  };
  const toggle = (set: () => ReadonlySet<string>, put: (s: ReadonlySet<string>) => void, id: string) => {
    const next = new Set(set());
    if (next.has(id)) next.delete(id);
    else next.add(id);
    put(next);
  };
  const report = (r: UndoResult, verb: string) => {
    if (r.ok) setNotice(null);
    else if (r.reason === 'empty') say(`Nothing to ${verb}`);
    else say(`Cannot ${verb} ${r.what}: someone else has changed it since. Nothing was changed; that step is skipped.`);
  };
  const copy = () => {
    const s = shapeOf(selected());
    if (!s) return say('Select a shape to copy');
    const clip: Clip = { kind: s.kind, label: s.label, points: s.points, attrs: s.attrs, from: props.image.id };
    localStorage.setItem(CLIPBOARD, JSON.stringify(clip));
    say(`Copied ${shapeName(s)}`);
  };
  const paste = () => {
    let clip: Clip | null = null;
    try {
      clip = JSON.parse(localStorage.getItem(CLIPBOARD) ?? 'null') as Clip | null;
    } catch {
      clip = null;
    }
    if (!clip) return say('Nothing copied yet (Ctrl+C on a selected shape)');
    const label = classById().has(clip.label) ? clip.label : activeClass();
    if (!label) return say('Pick a class first');
    const points = placeInside(clip.kind, clip.points, props.image.width, props.image.height, clip.from === props.image.id ? 10 : 0);
    setSelected(props.annotations.add({ kind: clip.kind, label, points, attrs: clip.attrs }));
  };
  const removeSelection = () => {
    if (canvas?.cancelDraft(true)) return;
    const s = shapeOf(selected());
    if (!s) return;
    const v = vertex();
    if (v !== null && (s.kind === 'polygon' || s.kind === 'polyline')) {
      const min = s.kind === 'polygon' ? 3 : 2;
      if (s.points.length / 2 - 1 < min) return say(`A ${s.kind} needs at least ${min} points`);
      const pts = s.points.slice();
      pts.splice(v * 2, 2);
      props.annotations.move(s.id, pts);
      setVertex(null);
      return;
    }
    remove(s.id);
  };

  const HANDLERS: Record<ActionId, () => void> = {
    'tool.select': () => setTool('select'),
    'tool.box': () => setTool('box'),
    'tool.polygon': () => setTool('polygon'),
    'tool.polyline': () => setTool('polyline'),
    'tool.point': () => setTool('point'),
    'draw.finish': () => void canvas?.finishDraft(),
    'draw.cancel': () => {
      if (sheet()) setSheet(false);
      else if (!canvas?.cancelDraft()) setSelected(null);
    },
    'shape.delete': removeSelection,
    'shape.cycle': () => canvas?.cycle(),
    'shape.hide': () => {
      const id = selected();
      if (id) toggle(hidden, setHidden, id);
    },
    'shape.showAll': () => setHidden(new Set<string>()),
    'shape.lock': () => {
      const id = selected();
      if (id) toggle(locked, setLocked, id);
    },
    'edit.copy': copy,
    'edit.paste': paste,
    'edit.undo': () => report(props.annotations.undo(), 'undo'),
    'edit.redo': () => report(props.annotations.redo(), 'redo'),
    'view.labels': () => setShowLabels(!showLabels()),
    'view.fit': () => canvas?.fit(),
    'view.zoomIn': () => canvas?.zoom(1.25),
    'view.zoomOut': () => canvas?.zoom(0.8),
    'image.prev': () => props.onPrev?.(),
    'image.next': () => props.onNext?.(),
    'help.sheet': () => setSheet(!sheet()),
    'review.submit': () => props.onReviewKey?.('review.submit'),
    'review.approve': () => props.onReviewKey?.('review.approve'),
    'review.requestChanges': () => props.onReviewKey?.('review.requestChanges'),
  };
  const EDITS = new Set<ActionId>(['tool.box', 'tool.polygon', 'tool.polyline', 'tool.point', 'draw.finish', 'shape.delete', 'shape.lock', 'edit.paste', 'edit.undo', 'edit.redo']);

  const onKey = (e: KeyboardEvent) => {
    if (isTyping(e.target)) return;
    const id = actionFor(e);
    if (id) {
      if (props.readOnly && EDITS.has(id)) return;
      // Ctrl+C / Ctrl+V on selected page text keep their usual meaning.
      if ((id === 'edit.copy' || id === 'edit.paste') && window.getSelection()?.toString()) return;
      HANDLERS[id]();
      e.preventDefault();
      return;
    }
    if (e.ctrlKey || e.metaKey || e.altKey || props.readOnly) return;
    const key = e.key.length === 1 ? e.key.toLowerCase() : e.key;
    // Shift + a class key toggles that class as an image tag (Shift+1 arrives as "!": use the code).
    const digit = /^Digit(\d)$/.exec(e.code)?.[1];
    const cls = props.classes.find((c) => keyOf(c) === key || (e.shiftKey && digit !== undefined && keyOf(c) === digit));
    if (!cls) return;
    if (e.shiftKey) props.annotations.toggleTag(cls.id);
    else pickClass(cls.id);
    e.preventDefault();
  };
  onMount(() => window.addEventListener('keydown', onKey));
  onCleanup(() => window.removeEventListener('keydown', onKey));

  const sel = () => shapeOf(selected());

  return (
    <div class="annotate" data-testid="annotate" data-readonly={props.readOnly ? 'true' : 'false'}>
      <div class="toolbar">
        <div class="tool-group" data-testid="tools">
          <For each={tools()}>
            {(t) => (
              <button
                type="button"
                class={tool() === t.id ? 'tool active' : 'tool'}
                aria-pressed={tool() === t.id}
                title={`${t.label} (${t.key})`}
                onClick={() => setTool(t.id)}
                data-testid={`tool-${t.id}`}
              >
                {t.label} <kbd>{t.key}</kbd>
              </button>
            )}
          </For>
        </div>
        <div class="tool-group">
          <button type="button" class="tool" title="Zoom out (−)" onClick={() => canvas?.zoom(0.8)}>−</button>
          <button type="button" class="tool" title="Fit image (0)" onClick={() => canvas?.fit()}>Fit <kbd>0</kbd></button>
          <button type="button" class="tool" title="Zoom in (+)" onClick={() => canvas?.zoom(1.25)}>+</button>
          <button type="button" class={showLabels() ? 'tool active' : 'tool'} aria-pressed={showLabels()} title="Labels (N)" onClick={() => setShowLabels(!showLabels())} data-testid="toggle-labels">
            Labels <kbd>N</kbd>
          </button>
          <button type="button" class="tool" title="Keyboard shortcuts (?)" onClick={() => setSheet(true)} data-testid="open-sheet">?</button>
        </div>
        <Show when={props.readOnly}>
          <span class="badge readonly" data-testid="readonly-badge">Read-only</span>
        </Show>
        <div class="grow" />
        <div class="tool-group">
          <button type="button" class="tool" title="Previous image (D)" disabled={!props.onPrev} onClick={() => props.onPrev?.()} data-testid="prev-image">
            ‹ Prev <kbd>D</kbd>
          </button>
          <button type="button" class="tool" title="Next image (F)" disabled={!props.onNext} onClick={() => props.onNext?.()} data-testid="next-image">
            Next <kbd>F</kbd> ›
          </button>
        </div>
        <PresenceBar me={props.me} peers={props.presence.peers()} />
        <StatusBadge status={props.status} reason={props.refusal} pending={props.pending} />
      </div>
      {props.review?.({ selected: () => (sel() ? { id: sel()!.id, name: shapeName(sel()!) } : null), select: setSelected })}
      <TagBar classes={props.classes} tags={props.annotations.tags} readOnly={props.readOnly} keyOf={keyOf} onToggle={(id) => props.annotations.toggleTag(id)} />
      <div class="workspace">
        <Canvas
          src={props.src}
          width={props.image.width}
          height={props.image.height}
          shapes={props.annotations.shapes}
          colorOf={colorOf}
          labelOf={(s) => `${s.n} ${nameOf(s.label)}`}
          tool={tool()}
          readOnly={props.readOnly}
          selected={selected()}
          vertex={vertex()}
          onSelect={setSelected}
          onVertex={setVertex}
          onCreate={create}
          onChange={(id, points) => {
            if (locked().has(id)) return;
            props.annotations.move(id, points);
          }}
          hidden={hidden()}
          locked={locked()}
          showLabels={showLabels()}
          peers={props.presence.peers()}
          onCursor={props.presence.setCursor}
          api={(a) => (canvas = a)}
          pins={pins()}
          onPin={(pin) => {
            setTool('select');
            if (pin.kind === 'shape') return setSelected(pin.shapeId);
            // A point's thread is one of the image's own: shown with nothing selected.
            setSelected(null);
            queueMicrotask(() => document.querySelector(`[data-testid=thread][data-thread="${CSS.escape(pin.threadId)}"]`)?.scrollIntoView({ block: 'nearest' }));
          }}
        />
        <Show when={notice()}>
          <div class="notice" role="status" data-testid="notice">{notice()}</div>
        </Show>
        <aside class="sidebar">
          <Show when={!props.readOnly}>
            <section>
              <h3>{tool() === 'select' && sel() ? `Class of ${shapeName(sel()!)}` : 'Class for new shapes'}</h3>
              <ClassPicker classes={props.classes} active={tool() === 'select' && sel() ? sel()!.label : activeClass()} keyOf={keyOf} onPick={pickClass} />
            </section>
          </Show>
          <section>
            <h3>
              Shapes <span class="muted small" data-testid="shape-count">{props.loaded ? props.annotations.shapes.length : '…'}</span>
            </h3>
            <ShapeList
              shapes={props.annotations.shapes}
              selected={selected()}
              readOnly={props.readOnly}
              hidden={hidden()}
              locked={locked()}
              colorOf={colorOf}
              nameOf={nameOf}
              commentCount={threadCount}
              onSelect={setSelected}
              onToggleHidden={(id) => toggle(hidden, setHidden, id)}
              onToggleLocked={(id) => toggle(locked, setLocked, id)}
              onDelete={remove}
            />
          </section>
          <Show when={sel()}>
            {(s) => (
              <section>
                <h3>Attributes of {shapeName(s())}</h3>
                <AttributesPanel shape={s()} readOnly={props.readOnly || locked().has(s().id)} onSet={(a) => props.annotations.setAttrs(s().id, a)} />
              </section>
            )}
          </Show>
          <section>
            <h3>Comments</h3>
            <CommentsPanel
              shapeId={selected()}
              shapeName={sel() ? shapeName(sel()!) : null}
              threads={props.comments.threads}
              shapeExists={(id) => !!shapeOf(id)}
              nameOf={props.nameOf}
              onOpen={(text) => props.comments.open(selected() ? { shapeId: selected()! } : { x: props.image.width / 2, y: props.image.height / 2 }, text)}
              onReply={props.comments.reply}
              onResolve={props.comments.resolve}
            />
          </section>
          <KeyHints readOnly={props.readOnly} onMore={() => setSheet(true)} />
        </aside>
      </div>
      <Show when={sheet()}>
        <ShortcutSheet readOnly={props.readOnly} onClose={() => setSheet(false)} />
      </Show>
    </div>
  );
}
