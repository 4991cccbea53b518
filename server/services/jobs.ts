// The Jobs API's logic over the job system: stages, pipeline runs and jobs of one project, as
// views (shared/api/jobs.ts). Routes call these after checking the role. Starting, cancelling and
// retrying write audit rows (`pipeline.start|cancel`, `job.cancel|retry`) once the change is made.
import { z } from 'zod';
import type { JobDetail, JobView, RunSummary, RunView, StageInfo } from '../../shared/api/jobs.ts';
import { AppError, notFound } from '../../shared/errors.ts';
import { isFinished } from '../../shared/jobs.ts';
import { loadYaml } from '../../shared/parser-libs.ts';
import { parsePipelineText } from '../../shared/pipeline.ts';
import type { ProjectId, UserId } from '../../shared/ids.ts';
import type { Job } from '../ports/job-queue.ts';
import type { Repositories } from '../ports/repositories.ts';
import type { RunRecord } from '../ports/pipeline-runs.ts';
import type { JobSystem } from '../jobs/system.ts';
import { audit } from './audit.ts';

export const toJobView = (j: Job): JobView => ({
  id: j.id,
  stage: j.stage,
  runId: j.runId,
  stepId: j.stepId,
  state: j.state,
  params: j.params,
  attempts: j.attempts,
  maxAttempts: j.maxAttempts,
  runAfter: j.runAfter,
  progress: j.progress,
  result: j.result,
  errors: j.errors,
  stageVersion: j.stageVersion,
  stageSourceSha: j.stageSourceSha,
  cacheKey: j.cacheKey,
  cachedFrom: j.cachedFrom,
  cancelRequested: j.cancelRequested,
  createdBy: j.createdBy,
  createdAt: j.createdAt,
  startedAt: j.startedAt,
  finishedAt: j.finishedAt,
});

const summary = (r: RunRecord): RunSummary => ({
  id: r.id,
  name: r.name,
  status: r.status,
  createdBy: r.createdBy,
  createdAt: r.createdAt,
  finishedAt: r.finishedAt,
  steps: r.steps.map((s) => ({ stepId: s.stepId, status: s.status })),
});

export function stageInfos(sys: JobSystem): StageInfo[] {
  return sys.stages.list().map(({ stage, origin }) => {
    let params: unknown;
    try {
      params = z.toJSONSchema(stage.params, { unrepresentable: 'any' });
    } catch {
      params = {};
    }
    return { name: stage.name, version: stage.version, description: stage.description, params, runsIn: stage.runsIn, origin: origin === 'builtin' ? 'builtin' : 'user' };
  });
}

/** Parses a pipeline sent as JSON or YAML text; syntax errors are a 400 naming the line. */
export async function pipelineFromText(text: string): Promise<unknown> {
  const r = parsePipelineText(text, await loadYaml());
  if (!r.ok) throw new AppError('validation', `pipeline file: ${r.error.join('; ')}`, { problems: r.error });
  return r.value;
}

/** The audit actions of the jobs API. */
export const JOB_AUDIT = {
  pipelineStart: 'pipeline.start',
  pipelineCancel: 'pipeline.cancel',
  jobCancel: 'job.cancel',
  jobRetry: 'job.retry',
} as const;

export function jobsService(sys: JobSystem, repos: Pick<Repositories, 'audit'>) {
  const record = (actorId: string, projectId: string, action: (typeof JOB_AUDIT)[keyof typeof JOB_AUDIT], subject: string, details: unknown) =>
    audit(repos, { actorId: actorId as UserId, projectId: projectId as ProjectId, action, subject, details });
  const runOf = async (projectId: string, runId: string) => {
    const run = await sys.pipelines.get(runId);
    if (!run || run.projectId !== projectId) throw notFound('pipeline run');
    return run;
  };
  const jobOf = async (projectId: string, jobId: string) => {
    const job = await sys.queue.get(jobId);
    if (!job || job.projectId !== projectId) throw notFound('job');
    return job;
  };
  const view = async (run: RunRecord): Promise<RunView> => {
    const jobs = new Map((await sys.queue.list({ runId: run.id, limit: 500 })).items.map((j) => [j.id, j]));
    return {
      ...summary(run),
      pipeline: run.spec,
      steps: run.steps.map((s) => ({ stepId: s.stepId, uses: s.uses, needs: s.needs, status: s.status, job: s.jobId && jobs.has(s.jobId) ? toJobView(jobs.get(s.jobId)!) : null })),
      edges: run.steps.flatMap((s) => s.needs.map((n) => ({ from: n, to: s.stepId }))),
    };
  };
  return {
    async startRun(actorId: string, projectId: string, pipeline: unknown) {
      const run = await sys.pipelines.start(actorId, projectId, pipeline);
      await record(actorId, projectId, JOB_AUDIT.pipelineStart, run.id, { name: run.name, steps: run.steps.map((s) => ({ id: s.stepId, uses: s.uses })) });
      return { id: run.id, status: run.status, jobs: run.steps.filter((s) => s.jobId).map((s) => ({ stepId: s.stepId, jobId: s.jobId! })), run: await view(run) };
    },
    async listRuns(projectId: string, limit: number, cursor?: string) {
      const page = await sys.pipelines.list(projectId, { limit, cursor });
      return { items: page.items.map(summary), next: page.next };
    },
    getRun: async (projectId: string, runId: string) => view(await runOf(projectId, runId)),
    async cancelRun(actorId: string, projectId: string, runId: string) {
      const before = await runOf(projectId, runId);
      const after = await sys.pipelines.cancel(runId);
      if (before.status === 'running') await record(actorId, projectId, JOB_AUDIT.pipelineCancel, runId, { name: before.name, status: after.status });
      return view(after);
    },
    async getJob(projectId: string, jobId: string, afterLogId = 0): Promise<JobDetail> {
      const job = await jobOf(projectId, jobId);
      return { ...toJobView(job), log: await sys.queue.log(jobId, { afterId: afterLogId, limit: 2000 }) };
    },
    async cancelJob(actorId: string, projectId: string, jobId: string) {
      const job = await jobOf(projectId, jobId);
      if (isFinished(job.state)) throw new AppError('conflict', `job is already ${job.state}`);
      const after = (await sys.queue.cancel(jobId))!;
      if (!isFinished(after.state)) sys.runner.abort(jobId);
      sys.publish(after);
      await record(actorId, projectId, JOB_AUDIT.jobCancel, jobId, { stage: job.stage, runId: job.runId, stepId: job.stepId, from: job.state });
      if (after.runId) await sys.pipelines.advance(after.runId);
      return toJobView(after);
    },
    async retryJob(actorId: string, projectId: string, jobId: string) {
      const job = await jobOf(projectId, jobId);
      const again = await sys.pipelines.retryJob(job);
      sys.publish(again);
      await record(actorId, projectId, JOB_AUDIT.jobRetry, jobId, { stage: job.stage, runId: job.runId, stepId: job.stepId, from: job.state, attempts: job.attempts });
      return toJobView(again);
    },
  };
}
