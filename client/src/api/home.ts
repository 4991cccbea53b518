// What the role homes read beyond their own areas' calls: model runs (issue 14's route; a server
// without it answers 404, shown as "not available") and the latest output of a stage in the
// project's pipeline runs (the newest succeeded `validate` or `report` job).
import type { RunView as ModelRun } from '../../../shared/api/runs.ts';
import { ApiError, request, type Page } from '../api.ts';
import { jobsApi, type JobView } from './jobs.ts';

export type { ModelRun };

const p = (id: string) => `/projects/${encodeURIComponent(id)}`;

export const homeApi = {
  /** Newest first; null when this server has no model-runs route. */
  async modelRuns(id: string, limit = 5): Promise<ModelRun[] | null> {
    try {
      return (await request<Page<ModelRun>>('GET', `${p(id)}/runs?limit=${limit}`)).items;
    } catch (e) {
      if (e instanceof ApiError && e.status === 404 && e.code === 'not_found') return null;
      throw e;
    }
  },
  /** The newest succeeded job of `stage` among the project's latest pipeline runs, or null. */
  async latestStageJob(id: string, stage: string, lookAt = 10): Promise<JobView | null> {
    const runs = (await jobsApi.runs(id)).items.slice(0, lookAt);
    for (const r of runs) {
      const view = await jobsApi.run(id, r.id);
      const job = view.steps.map((s) => s.job).find((j) => j?.stage === stage && j.state === 'succeeded');
      if (job) return job;
    }
    return null;
  },
};
