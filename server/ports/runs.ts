// Port for model runs (DESIGN.md "Lineage and audit"): a model measured against one release, kept
// with the release id (the manifest digest). Runs are immutable; notes are appended beside them.
// The blobs of a release that a run names are held for garbage collection (heldByRuns).
// Contract: runs.contract.ts.
import type { Metrics } from '../../shared/api/runs.ts';
import type { ProjectId, Sha256, UserId } from '../../shared/ids.ts';

export interface RunRecord {
  id: string;
  projectId: ProjectId;
  releaseId: Sha256;
  model: string;
  version: string;
  metrics: Metrics;
  params: Record<string, unknown>;
  code: string | null;
  split: string | null;
  createdBy: UserId;
  createdAt: number;
}

export interface RunNoteRecord {
  runId: string;
  text: string;
  by: UserId;
  at: number;
}

/** Where a page of runs starts: after the last run of the previous page (newest first). */
export interface RunCursor {
  createdAt: number;
  id: string;
}

export interface RunRepo {
  /** Records a run (and its first note, if any); a taken id is a `conflict` AppError. */
  insert(r: RunRecord, note?: RunNoteRecord): Promise<void>;
  byId(projectId: ProjectId, id: string): Promise<RunRecord | null>;
  /** Newest first (by time, then id), after `after` when given; only runs on `releaseId` when given. */
  list(projectId: ProjectId, page: { limit: number; after?: RunCursor; releaseId?: string }): Promise<RunRecord[]>;
  addNote(n: RunNoteRecord): Promise<void>;
  /** The notes of each run among `runIds`, oldest first. */
  notes(runIds: readonly string[]): Promise<Map<string, RunNoteRecord[]>>;
  /**
   * Of `candidates`, the blobs of releases that some run names: the manifest (the release id), the
   * images the manifest lists and its cached exports (garbage collection keeps them).
   */
  heldByRuns(candidates: readonly string[]): Promise<Sha256[]>;
}
