// Review statistics for managers: per annotator (submitted, approved at first review, rejection
// rate, median turnaround) and per reviewer (reviewed), with a small SVG chart of decisions per day.
import { createResource, For, Show } from 'solid-js';
import { api, messageOf } from '../api.ts';
import type { ReviewStats } from '../../../shared/api/review.ts';
import { ErrorNote } from '../components/ErrorNote.tsx';
import { ProjectHeader } from '../components/Header.tsx';

const pct = (x: number | null) => (x === null ? '—' : `${Math.round(x * 100)}%`);
function duration(ms: number | null): string {
  if (ms === null) return '—';
  const m = ms / 60_000;
  return m < 1 ? '< 1 min' : m < 90 ? `${Math.round(m)} min` : m < 48 * 60 ? `${(m / 60).toFixed(1)} h` : `${(m / 1440).toFixed(1)} days`;
}

export function StatsPage(props: { projectId: string }) {
  const [project] = createResource(() => props.projectId, (id) => api.project(id));
  const [stats] = createResource(() => props.projectId, (id) => api.reviewStats(id));
  return (
    <>
      <ProjectHeader projectId={props.projectId} projectName={project.state === 'ready' ? project()!.name : '…'}>
        <span>Review statistics</span>
      </ProjectHeader>
      <main class="page">
        <ErrorNote message={stats.error ? messageOf(stats.error) : null} />
        <h2>Review statistics</h2>
        <Show when={stats.state === 'ready' && stats()}>
          {(s) => (
            <>
              <DecisionsChart perDay={s().perDay} />
              <h3>Annotators</h3>
              <table class="table" data-testid="stats-annotators">
                <thead>
                  <tr><th>annotator</th><th>submitted</th><th>approved at first review</th><th>reviews</th><th>rejection rate</th><th>median turnaround</th></tr>
                </thead>
                <tbody>
                  <For each={s().annotators}>
                    {(a) => (
                      <tr>
                        <td>{a.name}</td><td class="num">{a.submitted}</td><td class="num">{a.approvedFirstTime}</td><td class="num">{a.reviewed}</td>
                        <td class="num">{pct(a.rejectionRate)}</td><td class="num">{duration(a.medianTurnaroundMs)}</td>
                      </tr>
                    )}
                  </For>
                </tbody>
              </table>
              <h3>Reviewers</h3>
              <table class="table" data-testid="stats-reviewers">
                <thead>
                  <tr><th>reviewer</th><th>images reviewed</th><th>approvals</th><th>changes requested</th></tr>
                </thead>
                <tbody>
                  <For each={s().reviewers}>
                    {(r) => (
                      <tr><td>{r.name}</td><td class="num">{r.reviewed}</td><td class="num">{r.approved}</td><td class="num">{r.changesRequested}</td></tr>
                    )}
                  </For>
                </tbody>
              </table>
            </>
          )}
        </Show>
      </main>
    </>
  );
}

/** Decisions per day as stacked bars: approvals (green) under requests for changes (orange). */
function DecisionsChart(props: { perDay: ReviewStats['perDay'] }) {
  const W = 560;
  const H = 140;
  const days = () => props.perDay.slice(-30);
  const max = () => Math.max(1, ...days().map((d) => d.approved + d.changesRequested));
  const bar = () => Math.min(40, (W - 40) / Math.max(1, days().length));
  const y = (n: number) => ((H - 30) * n) / max();
  return (
    <figure class="chart" data-testid="stats-chart">
      <svg width={W} height={H} viewBox={`0 0 ${W} ${H}`} role="img" aria-label="review decisions per day">
        <line x1="30" y1={H - 20} x2={W} y2={H - 20} stroke="#999" />
        <text x="2" y="12" font-size="10" fill="#666">{max()}</text>
        <For each={days()}>
          {(d, i) => {
            const x = 34 + i() * bar();
            return (
              <g>
                <rect x={x} y={H - 20 - y(d.approved)} width={bar() - 4} height={y(d.approved)} class="bar-approved" />
                <rect x={x} y={H - 20 - y(d.approved) - y(d.changesRequested)} width={bar() - 4} height={y(d.changesRequested)} class="bar-changes" />
                <text x={x} y={H - 6} font-size="9" fill="#666">{d.day.slice(5)}</text>
              </g>
            );
          }}
        </For>
      </svg>
      <figcaption class="muted small">
        Decisions per day: <span class="legend approved">approved</span> <span class="legend changes">changes requested</span>
        <Show when={props.perDay.length === 0}> — none yet</Show>
      </figcaption>
    </figure>
  );
}
