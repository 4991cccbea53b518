// Pipeline runs: start a validated pipeline as a run of steps, move it forward when a job settles
// (children queued once every parent succeeded, descendants of a failed step skipped), cancel a
// whole run, retry a step. Depends on ports only; safe to call from several processes at once
// (jobs are enqueued with the idempotency key run:<run>:<step>).
import { randomBytes } from 'node:crypto';
import type { RunEvent } from '../../shared/api/events.ts';
import { AppError, notFound } from '../../shared/errors.ts';
import { isFinished } from '../../shared/jobs.ts';
import { validatePipeline, type Pipeline, type RunStatus, type StepStatus } from '../../shared/pipeline.ts';
import type { EventBus } from '../ports/event-bus.ts';
import type { Job, JobQueue } from '../ports/job-queue.ts';
import type { PipelineRunRepository, RunRecord, StepRecord } from '../ports/pipeline-runs.ts';
import type { StageRegistry } from './registry.ts';

export interface PipelineDeps {
  queue: JobQueue;
  runs: PipelineRunRepository;
  stages: StageRegistry;
  events?: EventBus;
  /** Called after jobs were enqueued (wakes the runner in this process). */
  enqueued?(): void;
  /** Called for a job being cancelled (aborts it at once when it runs in this process). */
  cancelling?(jobId: string): void;
  now?: () => number;
}

export interface Pipelines {
  validate(raw: unknown): Pipeline;
  start(actorId: string, projectId: string, raw: unknown): Promise<RunRecord>;
  advance(runId: string): Promise<RunRecord | null>;
  cancel(runId: string): Promise<RunRecord>;
  /** Queues a failed, dead or cancelled job again; in a run, its skipped descendants wait again. */
  retryJob(job: Job): Promise<Job>;
  get(runId: string): Promise<RunRecord | null>;
  list(projectId: string, page: { limit: number; cursor?: string | null }): Promise<{ items: RunRecord[]; next: string | null }>;
}

const TERMINAL: readonly StepStatus[] = ['succeeded', 'failed', 'skipped', 'cancelled'];
const fromJob = (j: Job): StepStatus =>
  j.state === 'succeeded' ? 'succeeded' : j.state === 'failed' || j.state === 'dead' ? 'failed' : j.state === 'cancelled' ? 'cancelled' : j.state === 'running' ? 'running' : 'queued';

/** Steps ordered so that every step comes after the steps it needs (the pipeline was checked for cycles). */
function topological(steps: StepRecord[]): StepRecord[] {
  const byId = new Map(steps.map((s) => [s.stepId, s]));
  const out: StepRecord[] = [];
  const seen = new Set<string>();
  const visit = (s: StepRecord) => {
    if (seen.has(s.stepId)) return;
    seen.add(s.stepId);
    for (const n of s.needs) visit(byId.get(n)!);
    out.push(s);
  };
  steps.forEach(visit);
  return out;
}

/** A run's status and steps as the project event stream carries them. */
export const runEvent = (run: RunRecord): RunEvent => ({
  type: 'run',
  run: { id: run.id, status: run.status, steps: run.steps.map((s) => ({ stepId: s.stepId, status: s.status, jobId: s.jobId })) },
});

export function pipelines(d: PipelineDeps): Pipelines {
  const now = d.now ?? Date.now;
  const lookup = (name: string) => d.stages.get(name)?.stage;

  const publish = (run: RunRecord) => d.events?.publish(run.projectId, runEvent(run));

  function validate(raw: unknown): Pipeline {
    const r = validatePipeline(raw, lookup);
    if (!r.ok) throw new AppError('validation', `pipeline rejected: ${r.error.join('; ')}`, { problems: r.error });
    return r.value;
  }

  async function advance(runId: string): Promise<RunRecord | null> {
    const run = await d.runs.get(runId);
    if (!run) return null;
    const jobs = new Map((await d.queue.list({ runId, limit: 500 })).items.map((j) => [j.id, j]));
    const byId = new Map(run.steps.map((s) => [s.stepId, s]));
    let enqueued = 0;
    for (const step of topological(run.steps)) {
      let next = step.status;
      let jobId = step.jobId;
      if (step.jobId) {
        const job = jobs.get(step.jobId) ?? (await d.queue.get(step.jobId));
        if (job) next = fromJob(job);
      } else if (step.status === 'pending' && run.status === 'running') {
        const parents = step.needs.map((n) => byId.get(n)!);
        if (parents.some((p) => p.status === 'failed' || p.status === 'skipped' || p.status === 'cancelled')) next = 'skipped';
        else if (parents.every((p) => p.status === 'succeeded')) {
          const outputs = parents.map((p) => jobs.get(p.jobId!)?.result);
          const input = parents.length === 0 ? undefined : parents.length === 1 ? outputs[0] : Object.fromEntries(parents.map((p, i) => [p.stepId, outputs[i]]));
          const spec = run.spec.stages.find((s) => s.id === step.stepId)!;
          const { job } = await d.queue.enqueue({
            stage: step.uses,
            params: spec.with,
            input,
            projectId: run.projectId,
            runId: run.id,
            stepId: step.stepId,
            createdBy: run.createdBy,
            maxAttempts: lookup(step.uses)?.maxAttempts,
            idempotencyKey: `run:${run.id}:${step.stepId}`,
          });
          jobs.set(job.id, job);
          jobId = job.id;
          next = fromJob(job);
          enqueued++;
        }
      }
      if (next !== step.status || jobId !== step.jobId) {
        await d.runs.setStep(run.id, step.stepId, { status: next, jobId });
        step.status = next;
        step.jobId = jobId;
      }
    }
    if (enqueued) d.enqueued?.();
    if (run.status === 'running' && run.steps.every((s) => TERMINAL.includes(s.status))) {
      const status: RunStatus = run.steps.every((s) => s.status === 'succeeded')
        ? 'succeeded'
        : run.steps.some((s) => s.status === 'failed')
          ? 'failed'
          : 'cancelled';
      run.status = status;
      run.finishedAt = now();
      await d.runs.setStatus(run.id, status, run.finishedAt);
    }
    publish(run);
    return run;
  }

  return {
    validate,
    async start(actorId, projectId, raw) {
      const spec = validate(raw);
      const id = randomBytes(12).toString('base64url');
      await d.runs.create({
        id,
        projectId,
        name: spec.name,
        spec,
        status: 'running',
        createdBy: actorId,
        createdAt: now(),
        steps: spec.stages.map((s, position) => ({ stepId: s.id, position, uses: s.uses, needs: s.needs, status: 'pending', jobId: null })),
      });
      return (await advance(id))!;
    },
    advance,
    async cancel(runId) {
      const run = await d.runs.get(runId);
      if (!run) throw notFound('pipeline run');
      if (run.status !== 'running') return run;
      await d.runs.setStatus(run.id, 'cancelled', now());
      for (const step of run.steps) {
        if (step.jobId) {
          const job = await d.queue.cancel(step.jobId);
          if (job && !isFinished(job.state)) d.cancelling?.(job.id);
        } else if (step.status === 'pending') await d.runs.setStep(run.id, step.stepId, { status: 'cancelled' }, ['pending']);
      }
      return (await advance(runId))!;
    },
    async retryJob(job) {
      if (!['failed', 'dead', 'cancelled'].includes(job.state)) throw new AppError('conflict', `job is ${job.state}: only failed, dead or cancelled jobs can be retried`);
      const again = (await d.queue.retry(job.id))!;
      if (job.runId) {
        const run = await d.runs.get(job.runId);
        if (run) {
          const below = new Set<string>([job.stepId!]);
          for (const s of topological(run.steps)) if (s.needs.some((n) => below.has(n))) below.add(s.stepId);
          for (const s of run.steps) if (below.has(s.stepId) && s.stepId !== job.stepId && (s.status === 'skipped' || s.status === 'cancelled') && !s.jobId) await d.runs.setStep(run.id, s.stepId, { status: 'pending' });
          if (run.status !== 'running') await d.runs.setStatus(run.id, 'running', null);
          await advance(run.id);
        }
      }
      d.enqueued?.();
      return again;
    },
    get: (runId) => d.runs.get(runId),
    list: (projectId, page) => d.runs.list(projectId, page),
  };
}
