// The side-panel list of shapes on this image, numbered in creation order ("box #3" means the same
// shape to everyone): select, hide/show, lock, delete.
import { createSignal, For, Show } from 'solid-js';
import type { Shape } from '../state/annotations.ts';

const LIMIT = 200;

export function ShapeList(props: {
  shapes: readonly Shape[];
  selected: string | null;
  readOnly: boolean;
  hidden: ReadonlySet<string>;
  locked: ReadonlySet<string>;
  colorOf(label: string): string;
  nameOf(label: string): string;
  commentCount(id: string): number;
  onSelect(id: string): void;
  onToggleHidden(id: string): void;
  onToggleLocked(id: string): void;
  onDelete(id: string): void;
}) {
  // A dense image lists its first shapes only until asked (thousands of rows would slow the page);
  // the selected shape is always listed.
  const [all, setAll] = createSignal(false);
  const shown = () => {
    if (all() || props.shapes.length <= LIMIT) return props.shapes;
    const head = props.shapes.slice(0, LIMIT);
    const sel = props.selected ? props.shapes.find((s) => s.id === props.selected) : undefined;
    return sel && !head.includes(sel) ? [...head, sel] : head;
  };
  return (
    <ul class="shape-list" data-testid="shape-list">
      <For each={shown()}>
        {(s) => (
          <li
            class={`${props.selected === s.id ? 'selected' : ''} ${props.hidden.has(s.id) ? 'hidden-shape' : ''}`}
            onClick={() => props.onSelect(s.id)}
            data-testid="shape-row"
            data-kind={s.kind}
            data-n={s.n}
            data-label={props.nameOf(s.label)}
            data-points={JSON.stringify(s.points)}
            aria-selected={props.selected === s.id}
          >
            <span class="swatch" style={{ background: props.colorOf(s.label) }} />
            <span class="grow">
              {props.nameOf(s.label)} <span class="muted small">{s.kind} #{s.n}</span>
            </span>
            <Show when={props.commentCount(s.id) > 0}>
              <span class="pill small" title="open comment threads">
                {props.commentCount(s.id)} {props.commentCount(s.id) === 1 ? 'thread' : 'threads'}
              </span>
            </Show>
            <Toggle on={props.hidden.has(s.id)} onLabel="Show shape (H)" offLabel="Hide shape (H)" onText="◌" offText="◉" onToggle={() => props.onToggleHidden(s.id)} />
            <Show when={!props.readOnly}>
              <Toggle on={props.locked.has(s.id)} onLabel="Unlock shape (K)" offLabel="Lock shape (K)" onText="⊠" offText="⊡" onToggle={() => props.onToggleLocked(s.id)} />
              <button
                type="button"
                class="icon danger"
                title="Delete shape (Del)"
                aria-label="Delete shape"
                onClick={(e) => {
                  e.stopPropagation();
                  props.onDelete(s.id);
                }}
              >
                ×
              </button>
            </Show>
          </li>
        )}
      </For>
      <Show when={!all() && props.shapes.length > LIMIT}>
        <li class="empty">
          <button type="button" class="link small" onClick={() => setAll(true)}>
            Show all {props.shapes.length} shapes
          </button>
        </li>
      </Show>
      <Show when={props.shapes.length === 0}>
        <li class="empty muted small">{props.readOnly ? 'No shapes on this image.' : 'No shapes yet. Press B and drag to draw a box.'}</li>
      </Show>
    </ul>
  );
}

function Toggle(props: { on: boolean; onLabel: string; offLabel: string; onText: string; offText: string; onToggle(): void }) {
  return (
    <button
      type="button"
      class={props.on ? 'icon toggle on' : 'icon toggle'}
      title={props.on ? props.onLabel : props.offLabel}
      aria-label={props.on ? props.onLabel : props.offLabel}
      aria-pressed={props.on}
      onClick={(e) => {
        e.stopPropagation();
        props.onToggle();
      }}
    >
      {props.on ? props.onText : props.offText}
    </button>
  );
}
