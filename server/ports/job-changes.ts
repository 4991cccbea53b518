// The job change feed port: what the server needs to notice jobs and pipeline runs changed by
// other processes (`tessera worker`), so that their events reach the project event stream. The
// SQLite adapter (adapters/sqlite/job-changes.ts) asks `PRAGMA data_version`, which moves only
// when another connection commits; a PostgreSQL adapter would LISTEN on a channel instead.
import type { Job } from './job-queue.ts';
import type { RunRecord } from './pipeline-runs.ts';

export interface JobChangeFeed {
  /** Whether another process committed anything since the last call (the first call says true). */
  changedElsewhere(): Promise<boolean>;
  /** The jobs running now (few: bounded by the workers' concurrency). */
  runningJobs(): Promise<Job[]>;
  /** The pipeline runs still running, and those that finished at or after `finishedSince` (ms). */
  activeRuns(finishedSince: number): Promise<RunRecord[]>;
}
