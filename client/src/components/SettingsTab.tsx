// Managers: the project's name, description and review rule (four eyes: a reviewer may not approve
// an image they submitted themselves; managers always may).
import { createSignal, Show } from 'solid-js';
import type { Project } from '../../../shared/api/projects.ts';
import { request } from '../api.ts';
import { useAction } from '../state/action.ts';
import { ErrorNote } from './ErrorNote.tsx';

const patchProject = (id: string, patch: { name?: string; description?: string; fourEyes?: boolean }) =>
  request<Project>('PATCH', `/projects/${encodeURIComponent(id)}`, patch);

export function SettingsTab(props: { project: Project; onChanged(): void }) {
  const [name, setName] = createSignal(props.project.name);
  const [description, setDescription] = createSignal(props.project.description);
  const [saved, setSaved] = createSignal(false);
  const { error, setError, run } = useAction(() => props.onChanged());
  const save = (patch: Parameters<typeof patchProject>[1]) =>
    void run(async () => {
      setSaved(false);
      await patchProject(props.project.id, patch);
      setSaved(true);
    });
  const submit = (e: Event) => {
    e.preventDefault();
    save({ name: name().trim(), description: description() });
  };
  return (
    <section class="panel-section settings" data-testid="project-settings">
      <form class="settings-form" onSubmit={submit}>
        <label>
          Name
          <input value={name()} onInput={(e) => setName(e.currentTarget.value)} required />
        </label>
        <label>
          Description
          <textarea rows={3} value={description()} onInput={(e) => setDescription(e.currentTarget.value)} />
        </label>
        <button type="submit" class="primary">Save</button>
      </form>
      <h3>Review</h3>
      <label class="check">
        <input type="checkbox" checked={props.project.fourEyes} onChange={(e) => save({ fourEyes: e.currentTarget.checked })} data-testid="setting-four-eyes" />
        Four eyes: reviewers may not approve images they submitted themselves (managers always may)
      </label>
      <Show when={saved()}>
        <p class="muted small">Saved.</p>
      </Show>
      <ErrorNote message={error()} onDismiss={() => setError(null)} />
    </section>
  );
}
