// The job queue contract against SQLite, on a fresh temp database per test.
import { jobQueueContract } from '../../ports/job-queue.contract.ts';
import { tempDb } from '../../testing/fixtures.ts';
import { sqliteJobQueue } from './job-queue.ts';

jobQueueContract('sqlite', async (clock) => {
  const t = tempDb();
  return { queue: sqliteJobQueue(t.db, { now: clock.now }), close: async () => t.cleanup() };
});
