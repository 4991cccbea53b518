// Group commit of job completions: every `complete` asked for in one turn of the event loop is
// written by one write transaction, each still fenced by its own lease token; when the runner
// wants work for the slots they free, the same transaction claims it (`completeAndClaim`). A
// caller's promise settles only after that transaction committed, so whatever it does next (the
// job's settled event, its pipeline's children) sees a durable outcome.
import type { ClaimedJob, ClaimOptions, Completion, CompletionOf, Job, JobQueue } from '../ports/job-queue.ts';

export interface CompletionBatcher {
  /**
   * The settled job once committed, or null when the lease was not held (nothing written). The
   * claimed job goes with the completion, so the queue need not read the whole row back.
   */
  complete(job: ClaimedJob, completion: Completion): Promise<Job | null>;
}

/** How a batch also claims work: asked at each flush with the number of jobs it completes. */
export interface ClaimAlong {
  /** What to claim beside `completing` completions, or null to claim nothing this time. */
  options(completing: number): ClaimOptions | null;
  /** The jobs claimed (after the completions' promises settled); also called when the claim failed, with none. */
  claimed(jobs: ClaimedJob[]): void;
}

export function completionBatcher(queue: JobQueue, along?: ClaimAlong): CompletionBatcher {
  let pending: Array<{ item: CompletionOf; resolve(job: Job | null): void; reject(e: unknown): void }> = [];

  const flush = async () => {
    const batch = pending;
    pending = [];
    const items = batch.map((b) => b.item);
    const claim = along?.options(batch.length) ?? null;
    let claimed: ClaimedJob[] = [];
    try {
      let settled: Array<Job | null>;
      if (claim) ({ settled, claimed } = await queue.completeAndClaim(items, claim));
      else settled = await queue.completeMany(items);
      batch.forEach((b, i) => b.resolve(settled[i]));
    } catch (e) {
      // The whole transaction rolled back: no completion of this batch was written, nothing claimed.
      for (const b of batch) b.reject(e);
    }
    if (claim) along!.claimed(claimed);
  };

  return {
    complete(job, completion) {
      return new Promise((resolve, reject) => {
        if (pending.push({ item: { id: job.id, leaseToken: job.leaseToken, completion, claimed: job }, resolve, reject }) === 1) setImmediate(flush);
      });
    },
  };
}
