// The label class picker: one row per class with its colour and hotkey.
import { For, Show } from 'solid-js';
import type { LabelClass } from '../api.ts';

export function ClassPicker(props: { classes: readonly LabelClass[]; active: string | null; keyOf(c: LabelClass): string | null; onPick(id: string): void }) {
  return (
    <div class="class-picker" role="listbox" aria-label="Label class">
      <For each={props.classes}>
        {(c) => (
          <button
            type="button"
            role="option"
            aria-selected={props.active === c.id}
            class={props.active === c.id ? 'class-row active' : 'class-row'}
            onClick={() => props.onPick(c.id)}
            data-testid="class-option"
          >
            <span class="swatch" style={{ background: c.color }} />
            <span class="grow">{c.name}</span>
            <Show when={props.keyOf(c)}>{(k) => <kbd>{k()}</kbd>}</Show>
          </button>
        )}
      </For>
      <Show when={props.classes.length === 0}>
        <p class="muted small">No label classes yet — a manager adds them under the project's Classes tab.</p>
      </Show>
    </div>
  );
}
