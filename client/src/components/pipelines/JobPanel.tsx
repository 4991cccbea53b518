// One job of a run: state, attempts, stage version and source hash, progress, every error kept
// (attempt, code, message, the retry time), the log (new lines fetched as the job's events
// arrive), the output (a `report` job's as charts), and Cancel / Retry for roles that run pipelines.
import { createEffect, createSignal, For, on, Show } from 'solid-js';
import { isFinished } from '../../../../shared/jobs.ts';
import { messageOf } from '../../api.ts';
import { jobsApi, type JobDetail } from '../../api/jobs.ts';
import { ErrorNote } from '../ErrorNote.tsx';
import { ReportCharts } from './ReportCharts.tsx';
import type { LiveJob } from './RunGraph.tsx';

const time = (at: number | null | undefined) => (at ? new Date(at).toLocaleTimeString() : '—');
const took = (j: JobDetail) => (j.startedAt && j.finishedAt ? `${((j.finishedAt - j.startedAt) / 1000).toFixed(2)} s` : '');

export function JobPanel(props: { projectId: string; jobId: string; live: LiveJob | undefined; canRun: boolean; onClose(): void }) {
  const [job, setJob] = createSignal<JobDetail | null>(null);
  const [error, setError] = createSignal<string | null>(null);
  const [busy, setBusy] = createSignal(false);
  let loading = false;
  let again = false;
  /** Fetches the job and the log lines after the last one shown (all of them for a new job). */
  const load = async (fresh: boolean) => {
    if (loading) return void (again = true);
    loading = true;
    try {
      const had = fresh ? null : job();
      const after = had?.log.at(-1)?.id ?? 0;
      const next = await jobsApi.job(props.projectId, props.jobId, after);
      if (next.id !== props.jobId) return;
      setJob({ ...next, log: had ? [...had.log, ...next.log] : next.log });
      setError(null);
    } catch (e) {
      setError(messageOf(e));
    } finally {
      loading = false;
      if (again) {
        again = false;
        void load(false);
      }
    }
  };
  createEffect(on(() => props.jobId, () => {
    setJob(null);
    void load(true);
  }));
  // Every event of this job (state, progress) may come with new log lines.
  createEffect(on(() => props.live, (l) => l && void load(false), { defer: true }));

  const act = async (what: 'cancel' | 'retry') => {
    setBusy(true);
    try {
      await (what === 'cancel' ? jobsApi.cancelJob(props.projectId, props.jobId) : jobsApi.retryJob(props.projectId, props.jobId));
      await load(false);
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section class="panel-section job-panel" data-testid="job-panel" data-job={props.jobId} data-state={job()?.state}>
      <div class="page-head">
        <h3>
          Job <span class="mono">{job()?.stepId ?? props.jobId}</span>
        </h3>
        <button type="button" class="icon" aria-label="Close the job" onClick={() => props.onClose()}>×</button>
      </div>
      <ErrorNote message={error()} />
      <Show when={job()}>
        {(j) => (
          <>
            <dl class="job-facts">
              <dt>stage</dt><dd>{j().stage} <span class="muted">v{j().stageVersion ?? '?'}</span></dd>
              <dt>state</dt><dd><span class={`badge job-${j().state}`} data-testid="job-state">{j().state}</span>{j().cancelRequested && !isFinished(j().state) ? ' (cancelling)' : ''}</dd>
              <dt>attempts</dt><dd>{j().attempts} of {j().maxAttempts}</dd>
              <dt>started</dt><dd>{time(j().startedAt)} {took(j()) && <span class="muted">· {took(j())}</span>}</dd>
              <dt>source</dt><dd class="mono" title={j().stageSourceSha ?? ''}>{j().stageSourceSha?.slice(0, 12) ?? '—'}</dd>
              <Show when={j().cachedFrom}><dt>cached</dt><dd class="mono">output of job {j().cachedFrom}</dd></Show>
            </dl>
            <Show when={!isFinished(j().state)}>
              <div class="job-progress">
                <progress max="1" value={j().progress.fraction} />
                <span class="muted small">{Math.round(j().progress.fraction * 100)}% {j().progress.message}</span>
              </div>
            </Show>
            <Show when={props.canRun}>
              <div class="inline-form">
                <Show when={!isFinished(j().state)}>
                  <button type="button" disabled={busy()} onClick={() => void act('cancel')} data-testid="job-cancel">Cancel job</button>
                </Show>
                <Show when={['failed', 'dead', 'cancelled'].includes(j().state)}>
                  <button type="button" disabled={busy()} onClick={() => void act('retry')} data-testid="job-retry">Retry</button>
                </Show>
              </div>
            </Show>
            <Show when={j().errors.length > 0}>
              <h3>Errors ({j().errors.length})</h3>
              <ol class="job-errors" data-testid="job-errors">
                <For each={j().errors}>
                  {(e) => (
                    <li>
                      <span class="muted small">attempt {e.attempt} · {time(e.at)}{e.code ? ` · ${e.code}` : ''}{e.retryAt ? ` · retry at ${time(e.retryAt)}` : ''}</span>
                      <div class="mono">{e.message}</div>
                    </li>
                  )}
                </For>
              </ol>
            </Show>
            <Show when={j().stage === 'report' && j().state === 'succeeded'}>
              <h3>Report</h3>
              <ReportCharts result={j().result} />
            </Show>
            <h3>Log ({j().log.length} lines)</h3>
            <pre class="job-log" data-testid="job-log">
              <For each={j().log}>{(l) => <div class={`log-${l.stream}`}><span class="muted">{time(l.at)} </span>{l.line}</div>}</For>
            </pre>
            <Show when={j().result !== null && j().result !== undefined}>
              <details class="job-output">
                <summary>Output</summary>
                <pre class="mono">{JSON.stringify(j().result, null, 2)}</pre>
              </details>
            </Show>
          </>
        )}
      </Show>
    </section>
  );
}
