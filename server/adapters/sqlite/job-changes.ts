// The job change feed on SQLite: `PRAGMA data_version` (changes only when another connection
// commits, so an idle check costs one pragma), running jobs through the partial index
// `jobs_lease` (state = 'running'), running and recently finished pipeline runs by id.
import type { JobChangeFeed } from '../../ports/job-changes.ts';
import type { JobQueue } from '../../ports/job-queue.ts';
import type { PipelineRunRepository } from '../../ports/pipeline-runs.ts';
import { serialOf, type Db } from './open.ts';

export function sqliteJobChanges(conn: Db, queue: JobQueue, runs: PipelineRunRepository): JobChangeFeed {
  const db = conn.$client;
  const gate = serialOf(conn);
  const st = {
    version: db.prepare<[], number>('pragma data_version').pluck(),
    running: db.prepare<[], string>("select id from jobs where state = 'running' and lease_expires_at is not null").pluck(),
    runs: db.prepare<[number], string>("select id from pipeline_runs where status = 'running' or finished_at >= ?").pluck(),
  };
  let seen: number | null = null;
  const present = <T>(xs: (T | null)[]) => xs.filter((x): x is T => x !== null);
  return {
    async changedElsewhere() {
      const v = await gate.op(() => st.version.get()!);
      const changed = v !== seen;
      seen = v;
      return changed;
    },
    async runningJobs() {
      const ids = await gate.op(() => st.running.all());
      return present(await Promise.all(ids.map((id) => queue.get(id))));
    },
    async activeRuns(finishedSince) {
      const ids = await gate.op(() => st.runs.all(finishedSince));
      return present(await Promise.all(ids.map((id) => runs.get(id))));
    },
  };
}
