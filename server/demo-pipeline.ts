// Demo pipeline run: the engineer runs `demo-check` (validate → report → export as COCO) through
// the real job system, so the Pipelines page of a fresh demo shows a finished run with its DAG,
// jobs and logs. Read-only stages: the demo's review states stay as seeded.
import type { ProjectId, UserId } from '../shared/ids.ts';
import type { Pipeline } from '../shared/pipeline.ts';
import type { JobSystem } from './jobs/system.ts';
import { findUserByName } from './services/auth.ts';
import type { ServiceDeps } from './services/deps.ts';
import { jobsService } from './services/jobs.ts';

export const DEMO_PIPELINE = {
  name: 'demo-check',
  stages: [
    { id: 'check', uses: 'validate', with: {}, needs: [] },
    { id: 'eda', uses: 'report', with: {}, needs: ['check'] },
    { id: 'coco', uses: 'export', with: { format: 'coco' }, needs: ['check'] },
  ],
} satisfies Pipeline;

export interface DemoPipelineDeps {
  jobs: JobSystem;
  /** Whether this process runs jobs (otherwise `tessera worker` processes finish the run later). */
  runsJobs: boolean;
}

/** Starts the demo run as `engineer`; resolves when it has finished (at once when no job runs here). */
export async function seedDemoPipeline(s: ServiceDeps, d: DemoPipelineDeps, projectId: ProjectId): Promise<{ runId: string; status: string }> {
  const engineer = await findUserByName(s, 'engineer');
  if (!engineer) throw new Error('the demo has no engineer account');
  let finished!: (status: string) => void;
  const done = new Promise<string>((resolve) => (finished = resolve));
  let runId: string | null = null;
  // Subscribed before the start, so that a run finishing at once is not missed.
  const stop = s.events.subscribe(projectId, (e) => {
    if (e.type === 'run' && e.run.id === runId && e.run.status !== 'running') finished(e.run.status);
  });
  try {
    runId = (await jobsService(d.jobs, s.data).startRun(engineer.id as UserId, projectId, DEMO_PIPELINE)).id;
    const run = await d.jobs.pipelines.get(runId);
    if (!run || run.status !== 'running' || !d.runsJobs) return { runId, status: run?.status ?? 'unknown' };
    const status = await done;
    if (status !== 'succeeded') console.warn(`the demo pipeline run ${runId} ended ${status}`);
    return { runId, status };
  } finally {
    stop();
  }
}
