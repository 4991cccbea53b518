// The Pipelines page of a project: start a pipeline (engineers, managers), the runs newest first,
// and the chosen run's DAG with live progress bars from the project event stream; a step opens
// its job (log, errors, cancel, retry). `/projects/:id/pipelines/:runId` selects a run.
import { createEffect, createResource, createSignal, For, onCleanup, Show } from 'solid-js';
import { createStore, reconcile } from 'solid-js/store';
import { can } from '../../../shared/policy.ts';
import { api, messageOf } from '../api.ts';
import { jobsApi } from '../api/jobs.ts';
import { ErrorNote } from '../components/ErrorNote.tsx';
import { ProjectHeader } from '../components/Header.tsx';
import { JobPanel } from '../components/pipelines/JobPanel.tsx';
import { RunGraph, type LiveJob } from '../components/pipelines/RunGraph.tsx';
import { StartPipeline } from '../components/pipelines/StartPipeline.tsx';
import { onProjectEvent } from '../project-events.ts';
import { Link, navigate, pipelinesPath } from '../router.tsx';
import './pipelines.css';

const when = (at: number) => new Date(at).toLocaleString();

export function PipelinesPage(props: { projectId: string; runId?: string }) {
  const [project] = createResource(() => props.projectId, (id) => api.project(id));
  const role = () => (project.state === 'ready' ? project()!.role : null);
  const [people] = createResource(() => props.projectId, (id) => api.people(id).then((r) => new Map(r.items.map((p) => [p.userId, p.displayName]))).catch(() => new Map<string, string>()));
  const [stages] = createResource(() => jobsApi.stages().then((r) => r.items).catch(() => []));
  const [runs, { refetch: refetchRuns }] = createResource(() => (can(role(), 'pipelines.read') ? props.projectId : null), (id) => jobsApi.runs(id));
  const runList = () => (runs.state === 'ready' ? runs()!.items : []);
  const runId = () => props.runId ?? runList()[0]?.id ?? null;
  const [run, { refetch: refetchRun, mutate: setRun }] = createResource(() => (can(role(), 'pipelines.read') && runId() ? { pid: props.projectId, id: runId()! } : null), ({ pid, id }) => jobsApi.run(pid, id));
  const shownRun = () => (run.state === 'ready' || run.state === 'refreshing' ? run.latest : undefined);
  const [jobId, setJobId] = createSignal<string | null>(null);
  createEffect(() => {
    runId();
    setJobId(null);
  });
  const [error, setError] = createSignal<string | null>(null);
  /** The latest state and progress of each job seen on the event stream. */
  const [live, setLive] = createStore<Record<string, LiveJob | undefined>>({});

  if (typeof EventSource !== 'undefined') {
    const refetchAll = () => {
      void refetchRuns();
      void refetchRun();
    };
    onCleanup(onProjectEvent(props.projectId, 'job', (e) => setLive(e.job.id, reconcile({ state: e.job.state, progress: e.job.progress, attempts: e.job.attempts })), refetchAll));
    onCleanup(
      onProjectEvent(props.projectId, 'run', (e) => {
        if (!runList().some((r) => r.id === e.run.id) || runList().find((r) => r.id === e.run.id)?.status !== e.run.status) void refetchRuns();
        // A step got its job or a new status: the run's view says which.
        if (e.run.id === runId()) void refetchRun();
      }),
    );
  }

  const cancelRun = async () => {
    try {
      setRun(await jobsApi.cancelRun(props.projectId, runId()!));
      void refetchRuns();
    } catch (e) {
      setError(messageOf(e));
    }
  };
  const nameOf = (id: string) => people()?.get(id) ?? 'someone';

  return (
    <>
      <ProjectHeader projectId={props.projectId} projectName={project.state === 'ready' ? project()!.name : '…'}>
        <span>Pipelines</span>
      </ProjectHeader>
      <main class="page pipelines-page">
        <ErrorNote message={project.error ? messageOf(project.error) : runs.error ? messageOf(runs.error) : error()} onDismiss={error() ? () => setError(null) : undefined} />
        <Show when={role() && !can(role(), 'pipelines.read')}>
          <p class="muted">Your role in this project does not show pipelines.</p>
        </Show>
        <Show when={can(role(), 'pipelines.read')}>
          <div class="pipelines-layout">
            <div class="pipelines-side">
              <Show when={can(role(), 'pipelines.run')}>
                <StartPipeline projectId={props.projectId} runs={runList()} stages={stages() ?? []} onStarted={(id) => { void refetchRuns(); navigate(pipelinesPath(props.projectId, id)); }} />
              </Show>
              <section class="panel-section">
                <h3>Runs</h3>
                <Show when={runs.state === 'ready' && runList().length === 0}>
                  <p class="muted" data-testid="runs-empty">No pipeline has run in this project yet.</p>
                </Show>
                <ul class="run-list" data-testid="run-list">
                  <For each={runList()}>
                    {(r) => (
                      <li class={r.id === runId() ? 'run-item selected' : 'run-item'} data-testid="run-item" data-run={r.id} data-status={r.status}>
                        <Link href={pipelinesPath(props.projectId, r.id)}>
                          <span class="run-name">{r.name}</span>
                          <span class={`badge run-${r.status}`}>{r.status}</span>
                        </Link>
                        <div class="muted small">
                          {nameOf(r.createdBy)} · {when(r.createdAt)}
                          <span class="run-dots">
                            <For each={r.steps}>{(s) => <span class={`dot step-${s.status}`} title={`${s.stepId}: ${s.status}`} />}</For>
                          </span>
                        </div>
                      </li>
                    )}
                  </For>
                </ul>
              </section>
            </div>
            <div class="pipelines-main">
              <Show when={shownRun()}>
                {(r) => (
                  <section class="panel-section" data-testid="run-detail" data-run={r().id} data-status={r().status}>
                    <div class="page-head">
                      <div>
                        <h2>{r().name} <span class={`badge run-${r().status}`} data-testid="run-status">{r().status}</span></h2>
                        <p class="muted small">
                          started by {nameOf(r().createdBy)} {when(r().createdAt)}{r().finishedAt ? ` · finished ${when(r().finishedAt!)}` : ''}
                        </p>
                      </div>
                      <Show when={can(role(), 'pipelines.run') && r().status === 'running'}>
                        <button type="button" onClick={() => void cancelRun()} data-testid="run-cancel">Cancel run</button>
                      </Show>
                    </div>
                    <div class="run-graph-wrap">
                      <RunGraph run={r()} live={live} selected={jobId()} onSelect={setJobId} />
                    </div>
                    <p class="muted small">Click a step to see its job: log, errors, output.</p>
                  </section>
                )}
              </Show>
              <Show when={jobId()}>
                {(id) => <JobPanel projectId={props.projectId} jobId={id()} live={live[id()]} canRun={can(role(), 'pipelines.run')} onClose={() => setJobId(null)} />}
              </Show>
            </div>
          </div>
        </Show>
      </main>
    </>
  );
}
