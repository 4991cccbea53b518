// Group commit of job completions: every `complete` asked for in one turn of the event loop is
// written by one `queue.completeMany` (one write transaction), each still fenced by its own lease
// token. A caller's promise settles only after that transaction committed, so whatever it does
// next (the job's settled event, its pipeline's children) sees a durable outcome.
import type { ClaimedJob, Completion, CompletionOf, Job, JobQueue } from '../ports/job-queue.ts';

export interface CompletionBatcher {
  /**
   * The settled job once committed, or null when the lease was not held (nothing written). The
   * claimed job goes with the completion, so the queue need not read the whole row back.
   */
  complete(job: ClaimedJob, completion: Completion): Promise<Job | null>;
}

export function completionBatcher(queue: JobQueue): CompletionBatcher {
  let pending: Array<{ item: CompletionOf; resolve(job: Job | null): void; reject(e: unknown): void }> = [];

  const flush = async () => {
    const batch = pending;
    pending = [];
    try {
      const settled = await queue.completeMany(batch.map((b) => b.item));
      batch.forEach((b, i) => b.resolve(settled[i]));
    } catch (e) {
      // The whole transaction rolled back: no completion of this batch was written.
      for (const b of batch) b.reject(e);
    }
  };

  return {
    complete(job, completion) {
      return new Promise((resolve, reject) => {
        if (pending.push({ item: { id: job.id, leaseToken: job.leaseToken, completion, claimed: job }, resolve, reject }) === 1) setImmediate(flush);
      });
    },
  };
}
