// Progress of a project: images by review status, overall and per assignee, as counted by the
// server (GET /api/projects/:id/progress) over the images the viewer may see. Refetched when
// `version` changes (the grid bumps it after assignments and live status changes).
import { createResource, For, Show } from 'solid-js';
import { api, type Member } from '../api.ts';
import { IMAGE_STATUSES, type ImageStatus } from '../../../shared/roles.ts';

const COLORS: Record<ImageStatus, string> = {
  new: '#c9ced8', assigned: '#9db7f5', in_progress: '#2f6fed', submitted: '#b7791f', approved: '#1f8a4c', changes_requested: '#c62f2f',
};

export function ProgressSummary(props: { projectId: string; members: readonly Member[]; version?: number }) {
  const [summary] = createResource(() => [props.projectId, props.version ?? 0] as const, ([id]) => api.progress(id));
  const data = () => (summary.state === 'ready' ? summary() : undefined);
  const total = () => data()?.total ?? 0;
  const name = (id: string | null) => (id ? props.members.find((m) => m.userId === id)?.username ?? 'someone' : 'unassigned');
  const people = () => (data()?.byAssignee ?? []).map((r) => ({ name: name(r.assignee), total: r.total, c: r.counts })).sort((a, b) => a.name.localeCompare(b.name));
  const counts = () => data()!.counts;
  return (
    <Show when={total()}>
      <div class="progress-summary panel-section" data-testid="progress-summary">
        <div>
          <h3>Progress</h3>
          <div>{counts().approved} of {total()} approved</div>
          <div class="stack-bar" aria-hidden="true">
            <For each={IMAGE_STATUSES}>{(s) => <span style={{ width: `${(100 * counts()[s]) / total()}%`, background: COLORS[s] }} title={`${s.replace('_', ' ')}: ${counts()[s]}`} />}</For>
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
