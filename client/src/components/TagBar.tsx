// Image-level tags: one toggle per label class (Shift + the class key toggles it too).
import { For, Show } from 'solid-js';
import type { LabelClass } from '../api.ts';

export function TagBar(props: { classes: readonly LabelClass[]; tags: readonly string[]; readOnly: boolean; keyOf(c: LabelClass): string | null; onToggle(id: string): void }) {
  return (
    <div class="tag-bar" data-testid="tag-bar">
      <span class="muted small">Image tags</span>
      <For each={props.classes}>
        {(c) => {
          const on = () => props.tags.includes(c.id);
          return (
            <button
              type="button"
              class={on() ? 'tag on' : 'tag'}
              aria-pressed={on()}
              disabled={props.readOnly}
              style={on() ? { background: c.color, 'border-color': c.color } : { 'border-color': c.color }}
              title={props.keyOf(c) ? `Shift+${props.keyOf(c)!.toUpperCase()}` : undefined}
              onClick={() => props.onToggle(c.id)}
              data-testid="tag"
              data-tag={c.name}
            >
              {c.name}
              <Show when={props.keyOf(c)}>{(k) => <kbd>⇧{k()}</kbd>}</Show>
            </button>
          );
        }}
      </For>
    </div>
  );
}
