// REST calls of the Jobs API (DESIGN.md "Jobs (REST)"): stages, pipeline runs and jobs of a project.
import type { JobDetail, JobView, RunSummary, RunView, StageInfo } from '../../../shared/api/jobs.ts';
import { RawBody, request, type Page } from '../api.ts';

export type { JobDetail, JobView, RunSummary, RunView, StageInfo } from '../../../shared/api/jobs.ts';

const p = (id: string) => `/projects/${encodeURIComponent(id)}`;
const e = encodeURIComponent;

export const jobsApi = {
  stages: () => request<Page<StageInfo>>('GET', '/stages'),
  /**
   * Starts a pipeline from its YAML (or JSON, which is YAML too) text, parsed by the server; a rejected
   * one is a 400 with `details.problems` (syntax errors with line and column, others with their path).
   */
  startRun: (id: string, text: string) =>
    request<{ id: string; status: string; jobs: { stepId: string; jobId: string }[]; run: RunView }>('POST', `${p(id)}/pipeline-runs`, new RawBody(text, 'text/yaml')),
  runs: (id: string, cursor?: string | null) => request<Page<RunSummary>>('GET', `${p(id)}/pipeline-runs?limit=50${cursor ? `&cursor=${e(cursor)}` : ''}`),
  run: (id: string, runId: string) => request<RunView>('GET', `${p(id)}/pipeline-runs/${e(runId)}`),
  cancelRun: (id: string, runId: string) => request<RunView>('POST', `${p(id)}/pipeline-runs/${e(runId)}/cancel`, {}),
  /** The job with its log lines after log id `after` (0: from the start). */
  job: (id: string, jobId: string, after = 0) => request<JobDetail>('GET', `${p(id)}/jobs/${e(jobId)}${after ? `?after=${after}` : ''}`),
  cancelJob: (id: string, jobId: string) => request<JobView>('POST', `${p(id)}/jobs/${e(jobId)}/cancel`, {}),
  retryJob: (id: string, jobId: string) => request<JobView>('POST', `${p(id)}/jobs/${e(jobId)}/retry`, {}),
};

/** The problems of a rejected pipeline (each naming its path), or null for any other error. */
export function pipelineProblems(err: unknown): string[] | null {
  const d = (err as { details?: { problems?: unknown } } | null)?.details;
  return Array.isArray(d?.problems) && d.problems.every((x) => typeof x === 'string') ? (d.problems as string[]) : null;
}
