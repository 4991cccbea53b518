// The pipeline run repository port: runs and the status of each of their steps. SQLite adapter:
// server/adapters/sqlite/pipeline-runs.ts. The logic that moves a run forward is in
// server/jobs/pipelines.ts; this port only stores.
import type { Pipeline, RunStatus, StepStatus } from '../../shared/pipeline.ts';

export interface StepRecord {
  stepId: string;
  position: number;
  uses: string;
  needs: string[];
  status: StepStatus;
  jobId: string | null;
}

export interface RunRecord {
  id: string;
  projectId: string;
  name: string;
  spec: Pipeline;
  status: RunStatus;
  createdBy: string;
  createdAt: number;
  finishedAt: number | null;
  steps: StepRecord[];
}

export interface PipelineRunRepository {
  create(run: Omit<RunRecord, 'finishedAt'>): Promise<void>;
  get(runId: string): Promise<RunRecord | null>;
  /** Newest first. */
  list(projectId: string, page: { limit: number; cursor?: string | null }): Promise<{ items: RunRecord[]; next: string | null }>;
  /** Sets a step's status (and job); only from a status in `from` when given (a guarded transition). */
  setStep(runId: string, stepId: string, patch: { status: StepStatus; jobId?: string | null }, from?: readonly StepStatus[]): Promise<boolean>;
  setStatus(runId: string, status: RunStatus, finishedAt: number | null): Promise<void>;
}
