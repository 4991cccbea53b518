// Progress of a project: images by review status, overall and per assignee (for roles that see
// every image). Counted from the image list, page by page.
import { createResource, For, Show } from 'solid-js';
import { api, type ImageInfo, type Member } from '../api.ts';
import { IMAGE_STATUSES, type ImageStatus } from '../../../shared/roles.ts';

const COLORS: Record<ImageStatus, string> = {
  new: '#c9ced8', assigned: '#9db7f5', in_progress: '#2f6fed', submitted: '#b7791f', approved: '#1f8a4c', changes_requested: '#c62f2f',
};

async function allImages(projectId: string): Promise<ImageInfo[]> {
  const out: ImageInfo[] = [];
  let cursor: string | null = null;
  do {
    const page = await api.images(projectId, { limit: 500, cursor });
    out.push(...page.items);
    cursor = page.next;
  } while (cursor);
  return out;
}

export function ProgressSummary(props: { projectId: string; members: readonly Member[] }) {
  const [images] = createResource(() => props.projectId, allImages);
  const list = () => (images.state === 'ready' ? images() : []);
  const count = (items: ImageInfo[]) => {
    const c = Object.fromEntries(IMAGE_STATUSES.map((s) => [s, 0])) as Record<ImageStatus, number>;
    for (const i of items) c[i.status]++;
    return c;
  };
  const people = () => {
    const by = new Map<string | null, ImageInfo[]>();
    for (const i of list()) by.set(i.assignee, [...(by.get(i.assignee) ?? []), i]);
    const name = (id: string | null) => (id ? props.members.find((m) => m.userId === id)?.username ?? 'someone' : 'unassigned');
    return [...by].map(([id, items]) => ({ name: name(id), total: items.length, c: count(items) })).sort((a, b) => a.name.localeCompare(b.name));
  };
  const total = () => count(list());
  return (
    <Show when={list().length}>
      <div class="progress-summary panel-section" data-testid="progress-summary">
        <div>
          <h3>Progress</h3>
          <div>{total().approved} of {list().length} approved</div>
          <div class="stack-bar" aria-hidden="true">
            <For each={IMAGE_STATUSES}>{(s) => <span style={{ width: `${(100 * total()[s]) / list().length}%`, background: COLORS[s] }} title={`${s.replace('_', ' ')}: ${total()[s]}`} />}</For>
          </div>
        </div>
        <table data-testid="progress-table">
          <thead>
            <tr>
              <th>Assignee</th>
              <For each={IMAGE_STATUSES}>{(s) => <th>{s.replace('_', ' ')}</th>}</For>
              <th>total</th>
            </tr>
          </thead>
          <tbody>
            <For each={people()}>
              {(p) => (
                <tr data-testid="progress-row" data-user={p.name}>
                  <td>{p.name}</td>
                  <For each={IMAGE_STATUSES}>{(s) => <td>{p.c[s] || ''}</td>}</For>
                  <td>{p.total}</td>
                </tr>
              )}
            </For>
          </tbody>
        </table>
      </div>
    </Show>
  );
}
