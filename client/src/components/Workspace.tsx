// The annotate workspace: toolbar (tools, zoom, presence, sync status), the canvas and the side
// panel (classes, shapes, comments, keyboard hints). Keyboard shortcuts live here. Works on
// state objects from client/src/state; never touches Yjs.
import { createEffect, createSignal, For, onCleanup, onMount, Show } from 'solid-js';
import type { ImageInfo, LabelClass } from '../api.ts';
import type { AnnotationsState } from '../state/annotations.ts';
import type { CommentsState } from '../state/comments.ts';
import type { PresenceState } from '../state/presence.ts';
import type { SyncStatus } from '../sync/connection.ts';
import { Canvas, type CanvasApi, type Tool } from './Canvas.tsx';
import { ClassPicker } from './ClassPicker.tsx';
import { CommentsPanel } from './CommentsPanel.tsx';
import { PresenceBar } from './PresenceBar.tsx';
import { ShapeList } from './ShapeList.tsx';
import { StatusBadge } from './StatusBadge.tsx';

export interface WorkspaceProps {
  image: ImageInfo;
  src: string;
  classes: readonly LabelClass[];
  readOnly: boolean;
  loaded: boolean;
  status: SyncStatus;
  /** Why the server refused the connection, when it did. */
  refusal?: string | null;
  annotations: AnnotationsState;
  comments: CommentsState;
  presence: PresenceState;
  nameOf(userId: string): string;
  /** Step to the previous / next image of the grid, when there is one. */
  onPrev?: () => void;
  onNext?: () => void;
}

const TOOLS: { id: Tool; label: string; key: string; draws: boolean }[] = [
  { id: 'select', label: 'Select', key: 'V', draws: false },
  { id: 'box', label: 'Box', key: 'B', draws: true },
  { id: 'polygon', label: 'Polygon', key: 'P', draws: true },
];

const isTyping = (t: EventTarget | null) => t instanceof HTMLInputElement || t instanceof HTMLTextAreaElement || t instanceof HTMLSelectElement;

export function Workspace(props: WorkspaceProps) {
  const [tool, setTool] = createSignal<Tool>(props.readOnly ? 'select' : 'box');
  const [selected, setSelected] = createSignal<string | null>(null);
  const [activeClass, setActiveClass] = createSignal<string | null>(props.classes[0]?.id ?? null);
  let canvas: CanvasApi | undefined;

  const classById = () => new Map(props.classes.map((c) => [c.id, c]));
  const colorOf = (label: string) => classById().get(label)?.color ?? '#9e9e9e';
  const nameOf = (label: string) => classById().get(label)?.name ?? 'unknown class';
  const keyOf = (c: LabelClass): string | null => {
    if (c.hotkey) return c.hotkey;
    const i = props.classes.indexOf(c);
    const k = i < 9 ? String(i + 1) : null;
    return k && !props.classes.some((o) => o.hotkey === k) ? k : null;
  };
  const tools = () => TOOLS.filter((t) => !t.draws || !props.readOnly);

  createEffect(() => {
    if (props.readOnly && tool() !== 'select') setTool('select');
  });
  createEffect(() => props.presence.setSelection(selected()));
  createEffect(() => {
    const id = selected();
    if (id && !props.annotations.shapes.some((s) => s.id === id)) setSelected(null);
  });

  const pickClass = (id: string) => {
    setActiveClass(id);
    const s = selected();
    if (s && !props.readOnly) props.annotations.relabel(s, id);
  };
  const create = (kind: 'box' | 'polygon', points: number[]) => {
    const label = activeClass();
    if (!label || props.readOnly) return;
    setSelected(props.annotations.add({ kind, label, points }));
  };
  const remove = (id: string) => {
    props.annotations.remove(id);
    if (selected() === id) setSelected(null);
  };

  const onKey = (e: KeyboardEvent) => {
    if (isTyping(e.target) || e.altKey) return;
    const k = e.key;
    const mod = e.ctrlKey || e.metaKey;
    if (mod) {
      if (props.readOnly) return;
      if (k.toLowerCase() === 'z' && !e.shiftKey) props.annotations.undo();
      else if (k.toLowerCase() === 'y' || (k.toLowerCase() === 'z' && e.shiftKey)) props.annotations.redo();
      else return;
      e.preventDefault();
      return;
    }
    const t = TOOLS.find((x) => x.key.toLowerCase() === k.toLowerCase());
    const cls = props.classes.find((c) => keyOf(c) === k);
    if (t && tools().includes(t)) setTool(t.id);
    else if (cls) pickClass(cls.id);
    else if (k === 'Enter') canvas?.closePolygon();
    else if (k === 'Escape') {
      if (!canvas?.cancelDraft()) setSelected(null);
    } else if (k === 'Backspace' || k === 'Delete') {
      if (canvas?.cancelDraft(k === 'Backspace')) return;
      const s = selected();
      if (s && !props.readOnly) remove(s);
    } else if (k.toLowerCase() === 'd' && props.onPrev) props.onPrev();
    else if (k.toLowerCase() === 'f' && props.onNext) props.onNext();
    else if (k === '0') canvas?.fit();
    else if (k === '+' || k === '=') canvas?.zoom(1.25);
    else if (k === '-') canvas?.zoom(0.8);
    else return;
    e.preventDefault();
  };
  onMount(() => window.addEventListener('keydown', onKey));
  onCleanup(() => window.removeEventListener('keydown', onKey));

  const threadCount = (id: string) => props.comments.threads.filter((t) => 'shapeId' in t.anchor && t.anchor.shapeId === id && !t.resolved).length;

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
        <PresenceBar peers={props.presence.peers()} />
        <StatusBadge status={props.status} reason={props.refusal} />
      </div>
      <div class="workspace">
        <Canvas
          src={props.src}
          width={props.image.width}
          height={props.image.height}
          shapes={props.annotations.shapes}
          colorOf={colorOf}
          nameOf={nameOf}
          tool={tool()}
          readOnly={props.readOnly}
          selected={selected()}
          onSelect={setSelected}
          onCreate={create}
          onChange={(id, points) => props.annotations.move(id, points)}
          peers={props.presence.peers()}
          onCursor={props.presence.setCursor}
          api={(a) => (canvas = a)}
        />
        <aside class="sidebar">
          <Show when={!props.readOnly}>
            <section>
              <h3>Class</h3>
              <ClassPicker classes={props.classes} active={activeClass()} keyOf={keyOf} onPick={pickClass} />
            </section>
          </Show>
          <section>
            <h3>
              Shapes <span class="muted small">{props.loaded ? props.annotations.shapes.length : '…'}</span>
            </h3>
            <ShapeList
              shapes={props.annotations.shapes}
              selected={selected()}
              readOnly={props.readOnly}
              colorOf={colorOf}
              nameOf={nameOf}
              commentCount={threadCount}
              onSelect={setSelected}
              onDelete={remove}
            />
          </section>
          <section>
            <h3>Comments</h3>
            <CommentsPanel
              shapeId={selected()}
              threads={props.comments.threads}
              nameOf={props.nameOf}
              onOpen={(text) => selected() && props.comments.open({ shapeId: selected()! }, text)}
              onReply={props.comments.reply}
              onResolve={props.comments.resolve}
            />
          </section>
          <section class="hints">
            <h3>Keyboard</h3>
            <dl>
              <Show when={!props.readOnly}>
                <dt><kbd>B</kbd> / <kbd>P</kbd></dt><dd>box (drag) / polygon (click points)</dd>
                <dt><kbd>Enter</kbd></dt><dd>close polygon (or double-click)</dd>
                <dt><kbd>1</kbd>–<kbd>9</kbd></dt><dd>pick class / relabel selection</dd>
                <dt><kbd>Del</kbd></dt><dd>delete selected shape</dd>
                <dt><kbd>Ctrl</kbd>+<kbd>Z</kbd></dt><dd>undo (<kbd>Ctrl</kbd>+<kbd>Y</kbd> redo)</dd>
              </Show>
              <dt><kbd>V</kbd></dt><dd>{props.readOnly ? 'select' : 'select, move, resize'}</dd>
              <dt><kbd>Esc</kbd></dt><dd>cancel / deselect</dd>
              <dt><kbd>D</kbd> / <kbd>F</kbd></dt><dd>previous / next image</dd>
              <dt>wheel</dt><dd>zoom at the pointer</dd>
              <dt><kbd>Space</kbd>+drag</dt><dd>pan (or drag empty area in Select)</dd>
            </dl>
          </section>
        </aside>
      </div>
    </div>
  );
}
