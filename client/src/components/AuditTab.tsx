// The append-only audit log, newest first, filtered by who, what, which subject and when (the
// filters are the server's), with "load more" and a CSV export of everything the filters match:
// a project's log for its managers (`GET /api/projects/:id/audit`), or the whole log for
// administrators (`GET /api/admin/audit`), whose entries also name their project.
import { createSignal, For, onMount, Show } from 'solid-js';
import { messageOf, type AuditRow } from '../api.ts';
import type { AuditSource } from '../api/audit.ts';
import type { AuditFilterInput } from '../../../shared/api/audit.ts';
import { ErrorNote } from './ErrorNote.tsx';

/** `datetime-local` input value (local time) → ISO instant, or undefined when empty. */
const isoOf = (local: string) => (local ? new Date(local).toISOString() : undefined);

/** Someone the Who menu offers (a project's members; for the whole log, the actors seen so far). */
export interface AuditPerson {
  userId: string;
  username: string;
}

export function AuditTab(props: { source: AuditSource; people: readonly AuditPerson[] }) {
  const [rows, setRows] = createSignal<AuditRow[]>([]);
  const [next, setNext] = createSignal<string | null>(null);
  const [error, setError] = createSignal<string | null>(null);
  const [actions, setActions] = createSignal<string[]>([]);
  const [actor, setActor] = createSignal('');
  const [action, setAction] = createSignal('');
  const [subject, setSubject] = createSignal('');
  const [since, setSince] = createSignal('');
  const [until, setUntil] = createSignal('');

  const filter = (): AuditFilterInput => ({
    ...(actor() ? { actor: actor() } : {}),
    ...(action() ? { action: action() } : {}),
    ...(subject().trim() ? { subject: subject().trim() } : {}),
    ...(since() ? { since: isoOf(since()) } : {}),
    ...(until() ? { until: isoOf(until()) } : {}),
  });
  let generation = 0;
  const load = async (cursor: string | null) => {
    const mine = cursor ? generation : ++generation;
    try {
      const page = await props.source.page(cursor, filter());
      if (mine !== generation) return; // the filters changed meanwhile
      setRows(cursor ? [...rows(), ...page.items] : page.items);
      setNext(page.next);
      setError(null);
    } catch (e) {
      setError(messageOf(e));
    }
  };
  const refilter = (set: (v: string) => void) => (v: string) => {
    set(v);
    void load(null);
  };
  onMount(() => {
    void load(null);
    props.source.actions().then((r) => setActions(r.items), (e) => setError(messageOf(e)));
  });
  /** Action families (`member.*`) for every prefix that more than one action shares. */
  const families = () => {
    const count = new Map<string, number>();
    for (const a of actions()) if (a.includes('.')) count.set(a.split('.')[0], (count.get(a.split('.')[0]) ?? 0) + 1);
    return [...count].filter(([, n]) => n > 1).map(([f]) => `${f}.*`);
  };
  /** The whole log names its actors itself; a project's log is read beside its member list. */
  const named = () => {
    const m = new Map(props.people.map((x) => [x.userId, x.username]));
    for (const r of rows()) if (r.actorId && r.actorName) m.set(r.actorId, r.actorName);
    return m;
  };
  const people = () => [...named()].map(([userId, username]) => ({ userId, username })).sort((a, b) => a.username.localeCompare(b.username));
  const actorName = (id: string | null) => (id ? (named().get(id) ?? id.slice(0, 8)) : 'system');
  /** Details as short "key: value" lines: long lists are counted, long values cut. */
  const details = (d: unknown): string[] => {
    if (d == null) return [];
    if (typeof d !== 'object' || Array.isArray(d)) return [short(d)];
    return Object.entries(d as Record<string, unknown>).map(([k, v]) => `${k}: ${Array.isArray(v) && v.length > 3 ? `${v.length} items` : k.endsWith('Id') && typeof v === 'string' ? actorName(v) : short(v)}`);
  };
  const short = (v: unknown) => {
    const s = typeof v === 'string' ? v : JSON.stringify(v);
    return s.length > 80 ? `${s.slice(0, 77)}…` : s;
  };
  const clear = () => {
    setActor('');
    setAction('');
    setSubject('');
    setSince('');
    setUntil('');
    void load(null);
  };

  return (
    <section class="panel-section">
      <form class="filters" data-testid="audit-filters" onSubmit={(e) => (e.preventDefault(), void load(null))}>
        <label>
          Who
          <select value={actor()} onChange={(e) => refilter(setActor)(e.currentTarget.value)} aria-label="Actor" data-testid="audit-actor">
            <option value="">anyone</option>
            <option value="system">system</option>
            <For each={people()}>{(m) => <option value={m.userId}>{m.username}</option>}</For>
          </select>
        </label>
        <label>
          Action
          <select value={action()} onChange={(e) => refilter(setAction)(e.currentTarget.value)} aria-label="Action" data-testid="audit-action">
            <option value="">any</option>
            <For each={families()}>{(f) => <option value={f}>{f}</option>}</For>
            <For each={actions()}>{(a) => <option value={a}>{a}</option>}</For>
          </select>
        </label>
        <label>
          Subject
          <input type="search" value={subject()} onChange={(e) => refilter(setSubject)(e.currentTarget.value)} placeholder="id" aria-label="Subject" data-testid="audit-subject" size={14} />
        </label>
        <label>
          From
          <input type="datetime-local" value={since()} onChange={(e) => refilter(setSince)(e.currentTarget.value)} aria-label="From" data-testid="audit-since" />
        </label>
        <label>
          To
          <input type="datetime-local" value={until()} onChange={(e) => refilter(setUntil)(e.currentTarget.value)} aria-label="To" data-testid="audit-until" />
        </label>
        <button type="button" class="link" onClick={clear}>
          Clear
        </button>
        <a href={props.source.exportUrl(filter())} download={props.source.fileName} data-testid="audit-export">
          Export CSV
        </a>
      </form>
      <ErrorNote message={error()} />
      <table class="table audit" data-testid="audit-table">
        <thead>
          <tr>
            <th>When</th>
            <Show when={props.source.showsProject}>
              <th>Project</th>
            </Show>
            <th>Who</th>
            <th>Action</th>
            <th>Subject</th>
            <th>Details</th>
          </tr>
        </thead>
        <tbody>
          <For each={rows()}>
            {(r) => (
              <tr data-testid="audit-row">
                <td class="nowrap">{new Date(r.at).toLocaleString()}</td>
                <Show when={props.source.showsProject}>
                  <td class="small" data-testid="audit-project">{r.projectId ? (r.projectName ?? r.projectId.slice(0, 8)) : '—'}</td>
                </Show>
                <td>
                  <button type="button" class="link" title="Only this actor" onClick={() => refilter(setActor)(r.actorId ?? 'system')}>
                    {actorName(r.actorId)}
                  </button>
                </td>
                <td>
                  <code>{r.action}</code>
                </td>
                <td class="small">
                  <Show when={r.subject}>
                    <button type="button" class="link" title="Only this subject" onClick={() => refilter(setSubject)(r.subject)}>
                      {r.subject.length > 12 ? `${r.subject.slice(0, 12)}…` : r.subject}
                    </button>
                  </Show>
                </td>
                <td class="small audit-details" title={JSON.stringify(r.details)}>
                  <For each={details(r.details)}>{(line) => <div>{line}</div>}</For>
                </td>
              </tr>
            )}
          </For>
        </tbody>
      </table>
      <Show when={rows().length === 0 && !error()}>
        <p class="small" data-testid="audit-empty">No entries match these filters.</p>
      </Show>
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
