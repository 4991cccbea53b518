// The manager's dashboard: images by status (server-counted progress), review decisions per day
// (throughput), the open review load, the latest release and model run, and pipeline failures.
import { createResource, For, Show } from 'solid-js';
import { api, messageOf } from '../../api.ts';
import { homeApi } from '../../api/home.ts';
import { jobsApi } from '../../api/jobs.ts';
import { releasesApi } from '../../api/releases.ts';
import { ErrorNote } from '../../components/ErrorNote.tsx';
import { ProgressSummary } from '../../components/ProgressSummary.tsx';
import { QaBadge } from '../../components/release-bits.tsx';
import { Link, pipelinesPath, releasePath, releasesPath, reviewPath, statsPath } from '../../router.tsx';
import { ago, HomeCard, metricText, RunRows } from './home-bits.tsx';

const DAYS = 14;

/** The last DAYS days (UTC), oldest first, with the decisions of each (0 where none). */
function lastDays(perDay: readonly { day: string; approved: number; changesRequested: number }[]) {
  const by = new Map(perDay.map((d) => [d.day, d]));
  const today = Date.now();
  return Array.from({ length: DAYS }, (_, i) => {
    const day = new Date(today - (DAYS - 1 - i) * 86_400_000).toISOString().slice(0, 10);
    return { day, approved: by.get(day)?.approved ?? 0, changesRequested: by.get(day)?.changesRequested ?? 0 };
  });
}

function Throughput(props: { perDay: readonly { day: string; approved: number; changesRequested: number }[] }) {
  const days = () => lastDays(props.perDay);
  const max = () => Math.max(1, ...days().map((d) => d.approved + d.changesRequested));
  const W = 22;
  const H = 90;
  return (
    <svg class="throughput" width={days().length * W} height={H + 16} role="img" aria-label="review decisions per day" data-testid="home-throughput">
      <For each={days()}>
        {(d, i) => {
          const a = () => (H * d.approved) / max();
          const c = () => (H * d.changesRequested) / max();
          return (
            <g transform={`translate(${i() * W},0)`}>
              <title>{`${d.day}: ${d.approved} approved, ${d.changesRequested} sent back`}</title>
              <rect x="3" y={H - a()} width={W - 6} height={a()} class="bar-approved" />
              <rect x="3" y={H - a() - c()} width={W - 6} height={c()} class="bar-changes" />
              <text x={W / 2} y={H + 12} text-anchor="middle">{d.day.slice(8)}</text>
            </g>
          );
        }}
      </For>
    </svg>
  );
}

export function ManagerHome(props: { projectId: string }) {
  const [members] = createResource(() => props.projectId, (id) => api.members(id).then((r) => r.items));
  const [progress] = createResource(() => props.projectId, (id) => api.progress(id));
  const [stats] = createResource(() => props.projectId, (id) => api.reviewStats(id));
  const [queue] = createResource(() => props.projectId, (id) => api.reviewQueue(id).then((r) => r.items));
  const [releases] = createResource(() => props.projectId, (id) => releasesApi.list(id).then((r) => r.items));
  const [runs] = createResource(() => props.projectId, (id) => jobsApi.runs(id).then((r) => r.items));
  const [models] = createResource(() => props.projectId, (id) => homeApi.modelRuns(id, 1));
  const failed = () => (runs() ?? []).filter((r) => r.status === 'failed');
  const week = () => (stats()?.perDay ?? []).filter((d) => d.day >= new Date(Date.now() - 6 * 86_400_000).toISOString().slice(0, 10));
  const approvedThisWeek = () => week().reduce((n, d) => n + d.approved, 0);
  const oldest = () => (queue() ?? []).reduce<number | null>((o, q) => (q.since !== null && (o === null || q.since < o) ? q.since : o), null);
  const err = () => [members, progress, stats, queue, releases, runs, models].map((r) => (r.error ? messageOf(r.error) : null)).find(Boolean) ?? null;
  return (
    <div class="home-grid dashboard">
      <ErrorNote message={err()} />
      <div class="home-wide" data-testid="home-status">
        <ProgressSummary projectId={props.projectId} members={members() ?? []} />
      </div>
      <HomeCard title="Throughput" href={statsPath(props.projectId)} more="Review statistics" testid="home-throughput-card">
        <p><strong>{approvedThisWeek()}</strong> approvals in the last 7 days <span class="muted small">(decisions per day, {DAYS} days; green approved, red sent back)</span></p>
        <Throughput perDay={stats()?.perDay ?? []} />
      </HomeCard>
      <HomeCard title="Open review load" href={reviewPath(props.projectId)} more="Review queue" testid="home-review-load">
        <p><strong data-testid="home-submitted">{queue()?.length ?? '…'}</strong> waiting for review{oldest() ? `, the oldest since ${ago(oldest())}` : ''}</p>
        <p class="muted small">
          {progress()?.counts.changes_requested ?? 0} sent back · {progress()?.counts.in_progress ?? 0} in progress · {(progress()?.counts.assigned ?? 0) + (progress()?.counts.new ?? 0)} not started
        </p>
      </HomeCard>
      <HomeCard title="Latest release" href={releasesPath(props.projectId)} more="Releases" testid="home-latest-release">
        <Show when={releases()?.[0]} fallback={<p class="muted">No release yet.</p>}>
          {(r) => (
            <p>
              <Link href={releasePath(props.projectId, r().number)}>@{r().number}</Link> <For each={r().aliases}>{(a) => <span class="pill">{a}</span>}</For> <QaBadge qa={r().qa} />{' '}
              <span class="muted small">{r().counts.images} images · {ago(r().createdAt)}</span>
            </p>
          )}
        </Show>
        <h3>Latest model run</h3>
        <Show when={models() !== null} fallback={<p class="muted">Model runs are not recorded on this server yet.</p>}>
          <Show when={models()?.[0]} fallback={<p class="muted">No model run yet.</p>}>
            {(m) => (
              <p data-testid="home-latest-model-run">
                {m().model} <span class="muted">{m().version}</span> on <Link href={releasePath(props.projectId, m().releaseNumber)}>@{m().releaseNumber}</Link> <span class="muted small">{metricText(m().metrics)}</span>
              </p>
            )}
          </Show>
        </Show>
      </HomeCard>
      <HomeCard title="Pipelines" href={pipelinesPath(props.projectId)} more="Pipelines" testid="home-pipeline-failures">
        <p>
          <strong data-testid="home-failed-runs">{failed().length}</strong> failed of the last {runs()?.length ?? 0} {runs()?.length === 1 ? 'run' : 'runs'}
          {failed()[0] ? <> — latest: <Link href={pipelinesPath(props.projectId, failed()[0].id)}>{failed()[0].name}</Link> {ago(failed()[0].createdAt)}</> : ''}
        </p>
        <RunRows projectId={props.projectId} runs={(runs() ?? []).slice(0, 3)} empty="No pipeline has run yet." />
      </HomeCard>
    </div>
  );
}
