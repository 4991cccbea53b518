// Managers: label classes — add, rename, recolour, set the hotkey, delete (the server refuses to
// delete a class in use with a 409 whose message is shown as is).
import { createEffect, createResource, createSignal, For } from 'solid-js';
import { api, type LabelClass } from '../api.ts';
import { nextClassColor } from '../colors.ts';
import { useAction } from '../state/action.ts';
import { ErrorNote } from './ErrorNote.tsx';

export function ClassesTab(props: { projectId: string }) {
  const [classes, { refetch }] = createResource(() => props.projectId, (id) => api.classes(id).then((r) => r.items));
  const [name, setName] = createSignal('');
  const [color, setColor] = createSignal('#1f77b4');
  // Each new class starts with a colour no other class of the project uses.
  createEffect(() => setColor(nextClassColor((classes() ?? []).map((c) => c.color))));
  const [hotkey, setHotkey] = createSignal('');
  const { error, setError, run } = useAction(() => void refetch());
  const add = (e: Event) => {
    e.preventDefault();
    if (!name().trim()) return;
    void run(async () => {
      await api.addClass(props.projectId, { name: name().trim(), color: color(), hotkey: hotkey() || null });
      setName('');
      setHotkey('');
    });
  };
  const patch = (c: LabelClass, p: Partial<Pick<LabelClass, 'name' | 'color' | 'hotkey'>>) => run(() => api.updateClass(props.projectId, c.id, p));

  return (
    <section class="panel-section">
      <form class="inline-form" onSubmit={add}>
        <input type="color" value={color()} onInput={(e) => setColor(e.currentTarget.value)} aria-label="Colour" />
        <input placeholder="class name" value={name()} onInput={(e) => setName(e.currentTarget.value)} aria-label="Class name" />
        <input class="hotkey-input" placeholder="key" maxLength={1} value={hotkey()} onInput={(e) => setHotkey(e.currentTarget.value.toLowerCase())} aria-label="Hotkey" />
        <button type="submit" class="primary">Add class</button>
      </form>
      <ErrorNote message={error()} onDismiss={() => setError(null)} />
      <table class="table" data-testid="classes-table">
        <thead>
          <tr>
            <th>Colour</th>
            <th>Name</th>
            <th>Hotkey</th>
            <th />
          </tr>
        </thead>
        <tbody>
          <For each={classes() ?? []}>
            {(c) => (
              <tr>
                <td>
                  <input type="color" value={c.color} onChange={(e) => void patch(c, { color: e.currentTarget.value })} aria-label={`Colour of ${c.name}`} />
                </td>
                <td>
                  <input
                    value={c.name}
                    aria-label={`Name of ${c.name}`}
                    onChange={(e) => {
                      const v = e.currentTarget.value.trim();
                      if (v && v !== c.name) void patch(c, { name: v });
                    }}
                  />
                </td>
                <td>
                  <input
                    class="hotkey-input"
                    maxLength={1}
                    value={c.hotkey ?? ''}
                    aria-label={`Hotkey of ${c.name}`}
                    onChange={(e) => void patch(c, { hotkey: e.currentTarget.value.toLowerCase() || null })}
                  />
                </td>
                <td class="right">
                  <button
                    type="button"
                    class="danger small"
                    onClick={() => {
                      if (confirm(`Delete the class "${c.name}"?`)) void run(() => api.deleteClass(props.projectId, c.id));
                    }}
                  >
                    Delete
                  </button>
                </td>
              </tr>
            )}
          </For>
        </tbody>
      </table>
    </section>
  );
}
