// Class distribution as horizontal bars (the QA home's EDA summaries): one row per class, widths
// relative to the largest, the count beside each.
import { For } from 'solid-js';

export function ClassBars(props: { classes: readonly { name: string; shapes: number }[]; limit?: number }) {
  const shown = () => [...props.classes].sort((a, b) => b.shapes - a.shapes).slice(0, props.limit ?? props.classes.length);
  const max = () => Math.max(1, ...props.classes.map((c) => c.shapes));
  return (
    <div class="class-bars">
      <For each={shown()}>
        {(c) => (
          <div class="class-bar">
            <span>{c.name}</span>
            <span class="bar"><span style={{ width: `${(100 * c.shapes) / max()}%` }} /></span>
            <span class="muted small">{c.shapes}</span>
          </div>
        )}
      </For>
    </div>
  );
}
