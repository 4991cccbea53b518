// The side-panel list of shapes on this image: select, relabel via the picker, delete.
import { For, Show } from 'solid-js';
import type { Shape } from '../state/annotations.ts';

export function ShapeList(props: {
  shapes: readonly Shape[];
  selected: string | null;
  readOnly: boolean;
  colorOf(label: string): string;
  nameOf(label: string): string;
  commentCount(id: string): number;
  onSelect(id: string): void;
  onDelete(id: string): void;
}) {
  return (
    <ul class="shape-list" data-testid="shape-list">
      <For each={props.shapes}>
        {(s, i) => (
          <li class={props.selected === s.id ? 'selected' : ''} onClick={() => props.onSelect(s.id)} data-testid="shape-row">
            <span class="swatch" style={{ background: props.colorOf(s.label) }} />
            <span class="grow">
              {props.nameOf(s.label)} <span class="muted small">{s.kind} #{i() + 1}</span>
            </span>
            <Show when={props.commentCount(s.id) > 0}>
              <span class="pill small" title="open comment threads">
                {props.commentCount(s.id)} {props.commentCount(s.id) === 1 ? 'thread' : 'threads'}
              </span>
            </Show>
            <Show when={!props.readOnly}>
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
      <Show when={props.shapes.length === 0}>
        <li class="empty muted small">{props.readOnly ? 'No shapes on this image.' : 'No shapes yet. Press B and drag to draw a box.'}</li>
      </Show>
    </ul>
  );
}
