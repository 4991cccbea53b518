// Request and response shapes of the Jobs REST API (DESIGN.md "Jobs (REST)").
import type { JobError, JobProgress, JobState } from '../jobs.ts';
import type { Pipeline, RunStatus, StepStatus } from '../pipeline.ts';

export interface StageInfo {
  name: string;
  version: string;
  description: string;
  /** JSON Schema of the stage's `with:`. */
  params: unknown;
  runsIn: 'server' | 'any';
  /** `builtin`, or the file a user stage came from. */
  origin: string;
}

export interface JobView {
  id: string;
  stage: string;
  runId: string | null;
  stepId: string | null;
  state: JobState;
  params: unknown;
  attempts: number;
  maxAttempts: number;
  runAfter: number;
  progress: JobProgress;
  result: unknown;
  errors: JobError[];
  stageVersion: string | null;
  stageSourceSha: string | null;
  cacheKey: string | null;
  cachedFrom: string | null;
  cancelRequested: boolean;
  createdBy: string | null;
  createdAt: number;
  startedAt: number | null;
  finishedAt: number | null;
}

export interface JobDetail extends JobView {
  log: { id: number; at: number; stream: 'log' | 'stdout' | 'stderr'; line: string }[];
}

export interface StepView {
  stepId: string;
  uses: string;
  needs: string[];
  status: StepStatus;
  job: JobView | null;
}

export interface RunView {
  id: string;
  name: string;
  status: RunStatus;
  createdBy: string;
  createdAt: number;
  finishedAt: number | null;
  /** The validated pipeline the run was started with (to start it again). */
  pipeline: Pipeline;
  steps: StepView[];
  /** The DAG: `from` is needed by `to`. */
  edges: { from: string; to: string }[];
}

/** A run in a list: its header, and each step's status without its job. */
export interface RunSummary extends Pick<RunView, 'id' | 'name' | 'status' | 'createdBy' | 'createdAt' | 'finishedAt'> {
  steps: { stepId: string; status: StepStatus }[];
}
