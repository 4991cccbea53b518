// Managers: the project's append-only audit log, newest first, with "load more".
import { createSignal, For, onMount, Show } from 'solid-js';
import { api, messageOf, type AuditRow, type Member } from '../api.ts';
import { ErrorNote } from './ErrorNote.tsx';

export function AuditTab(props: { projectId: string; members: readonly Member[] }) {
  const [rows, setRows] = createSignal<AuditRow[]>([]);
  const [next, setNext] = createSignal<string | null>(null);
  const [error, setError] = createSignal<string | null>(null);
  const load = async (cursor: string | null) => {
    try {
      const page = await api.audit(props.projectId, cursor);
      setRows(cursor ? [...rows(), ...page.items] : page.items);
      setNext(page.next);
    } catch (e) {
      setError(messageOf(e));
    }
  };
  onMount(() => void load(null));
  const actor = (id: string | null) => {
    if (!id) return 'system';
    const m = props.members.find((x) => x.userId === id);
    return m ? m.username : id.slice(0, 8);
  };
  const details = (d: unknown) => {
    if (d == null) return '';
    const s = JSON.stringify(d);
    return s.length > 160 ? `${s.slice(0, 157)}…` : s;
  };

  return (
    <section class="panel-section">
      <ErrorNote message={error()} />
      <table class="table audit" data-testid="audit-table">
        <thead>
          <tr>
            <th>When</th>
            <th>Who</th>
            <th>Action</th>
            <th>Details</th>
          </tr>
        </thead>
        <tbody>
          <For each={rows()}>
            {(r) => (
              <tr>
                <td class="nowrap">{new Date(r.at).toLocaleString()}</td>
                <td>{actor(r.actorId)}</td>
                <td>
                  <code>{r.action}</code>
                </td>
                <td class="mono small" title={JSON.stringify(r.details)}>
                  {details(r.details)}
                </td>
              </tr>
            )}
          </For>
        </tbody>
      </table>
      <div class="more">
        <Show when={next()}>
          <button type="button" onClick={() => void load(next())}>
            Load more
          </button>
        </Show>
      </div>
    </section>
  );
}
