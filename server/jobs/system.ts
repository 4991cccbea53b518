// The job system of one process from its ports: a runner whose settled jobs move their pipeline
// runs forward, and whose every change is published on the project event stream.
import type { JobEvent } from '../../shared/api/events.ts';
import type { EventBus } from '../ports/event-bus.ts';
import type { Job, JobQueue } from '../ports/job-queue.ts';
import type { PipelineRunRepository } from '../ports/pipeline-runs.ts';
import { pipelines, type Pipelines } from './pipelines.ts';
import type { StageRegistry } from './registry.ts';
import { createRunner, type Runner, type RunnerOptions } from './runner.ts';

export interface JobSystemDeps extends Omit<RunnerOptions, 'onJob' | 'queue' | 'stages'> {
  queue: JobQueue;
  runs: PipelineRunRepository;
  stages: StageRegistry;
  events?: EventBus;
}

export interface JobSystem {
  queue: JobQueue;
  stages: StageRegistry;
  runner: Runner;
  pipelines: Pipelines;
  /** Publishes a job's state on its project's event stream. */
  publish(job: Job): void;
}

export const jobEvent = (job: Job): JobEvent => ({
  type: 'job',
  job: { id: job.id, stage: job.stage, runId: job.runId, stepId: job.stepId, state: job.state, attempts: job.attempts, progress: job.progress, updatedAt: job.updatedAt },
});

export function createJobSystem(d: JobSystemDeps): JobSystem {
  const publish = (job: Job) => {
    if (job.projectId) d.events?.publish(job.projectId, jobEvent(job));
  };
  let runner: Runner;
  const p = pipelines({
    queue: d.queue,
    runs: d.runs,
    stages: d.stages,
    events: d.events,
    enqueued: () => runner.wake(),
    cancelling: (id) => void runner.abort(id),
  });
  runner = createRunner({
    ...d,
    onJob: async (job, change) => {
      publish(job);
      if (change === 'settled' && job.runId) await p.advance(job.runId);
    },
  });
  return { queue: d.queue, stages: d.stages, runner, pipelines: p, publish };
}
