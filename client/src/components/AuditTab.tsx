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
  /** Details as short "key: value" lines: long lists are counted, long values cut. */
  const details = (d: unknown): string[] => {
    if (d == null) return [];
    if (typeof d !== 'object' || Array.isArray(d)) return [short(d)];
    return Object.entries(d as Record<string, unknown>).map(([k, v]) => `${k}: ${Array.isArray(v) && v.length > 3 ? `${v.length} items` : k.endsWith('Id') && typeof v === 'string' ? actor(v) : short(v)}`);
  };
  const short = (v: unknown) => {
    const s = typeof v === 'string' ? v : JSON.stringify(v);
    return s.length > 80 ? `${s.slice(0, 77)}…` : s;
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
                <td class="small audit-details" title={JSON.stringify(r.details)}>
                  <For each={details(r.details)}>{(line) => <div>{line}</div>}</For>
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
