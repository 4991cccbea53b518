// The job queue port: a durable table of jobs that workers claim under a lease, heartbeat, and
// settle. The SQLite adapter is server/adapters/sqlite/job-queue.ts; every adapter runs
// jobQueueContract (job-queue.contract.ts). The queue knows nothing of stages or pipelines.
import type { JobError, JobProgress, JobState } from '../../shared/jobs.ts';

export interface Job {
  id: string;
  stage: string;
  projectId: string | null;
  runId: string | null;
  stepId: string | null;
  params: unknown;
  input: unknown;
  state: JobState;
  /** Higher runs first. */
  priority: number;
  /** Not claimed before this time (ms since epoch); the retry time after a failed attempt. */
  runAfter: number;
  /** Attempts started so far (a claim starts one). */
  attempts: number;
  maxAttempts: number;
  /** Exponential backoff: attempt n waits between ½ and 1 × min(backoffMaxMs, backoffMs · 2^(n-1)). */
  backoffMs: number;
  backoffMaxMs: number;
  leaseExpiresAt: number | null;
  workerId: string | null;
  cancelRequested: boolean;
  progress: JobProgress;
  result: unknown;
  /** Every failed attempt, oldest first. */
  errors: JobError[];
  idempotencyKey: string | null;
  stageVersion: string | null;
  stageSourceSha: string | null;
  cacheKey: string | null;
  /** The earlier job whose output this one reused (cache hit). */
  cachedFrom: string | null;
  createdBy: string | null;
  createdAt: number;
  startedAt: number | null;
  finishedAt: number | null;
  updatedAt: number;
}

/** A job held by a worker: `leaseToken` must accompany every write the worker makes to it. */
export interface ClaimedJob extends Job {
  leaseToken: string;
}

export interface EnqueueSpec {
  stage: string;
  params?: unknown;
  input?: unknown;
  projectId?: string | null;
  runId?: string | null;
  stepId?: string | null;
  priority?: number;
  runAfter?: number;
  maxAttempts?: number;
  backoffMs?: number;
  backoffMaxMs?: number;
  /** The same key twice gives one job: the second enqueue returns the first job. */
  idempotencyKey?: string | null;
  createdBy?: string | null;
}

export const ENQUEUE_DEFAULTS = { priority: 0, maxAttempts: 3, backoffMs: 1_000, backoffMaxMs: 5 * 60_000 } as const;

export interface ClaimOptions {
  workerId: string;
  /** At most this many jobs. */
  limit: number;
  leaseMs: number;
  /** Only these stages (the ones this worker can run); all when absent. */
  stages?: readonly string[];
  /** At most this many running jobs of a stage, across every worker on the queue. */
  concurrency?: Readonly<Record<string, number>>;
}

/** What the code that ran the job records beside its outcome. */
export interface RunRecord {
  stageVersion?: string | null;
  stageSourceSha?: string | null;
  cacheKey?: string | null;
}

export interface Completion extends RunRecord {
  result: unknown;
  cachedFrom?: string | null;
}

export interface Failure extends RunRecord {
  message: string;
  code?: string;
  stack?: string;
  /** False for errors that another attempt cannot fix: the job goes `failed` at once. */
  retryable: boolean;
}

/** One completion in a batch (`completeMany`). */
export interface CompletionOf {
  id: string;
  leaseToken: string;
  completion: Completion;
  /**
   * The job as its worker claimed it (same id and lease token). An adapter may build the settled
   * job from it and the few columns another writer can change while a job runs (cancel asked,
   * progress message) instead of reading the whole row back; the answer is the same either way.
   */
  claimed?: ClaimedJob;
}

export interface HeartbeatResult {
  /** False when the lease was lost (expired and taken over, or the job settled): stop the work. */
  held: boolean;
  cancelRequested: boolean;
}

export interface LogLine {
  at: number;
  stream: 'log' | 'stdout' | 'stderr';
  line: string;
}

export interface JobFilter {
  projectId?: string;
  runId?: string;
  state?: JobState;
  stage?: string;
  limit?: number;
  /** From the previous page's `next`. */
  cursor?: string | null;
}

export interface JobQueue {
  /** Adds a job, or returns the job already holding `idempotencyKey` (`created: false`). */
  enqueue(spec: EnqueueSpec): Promise<{ job: Job; created: boolean }>;
  /**
   * Adds many jobs in one write transaction, answering in the order given; all or none are
   * written. Idempotency keys behave as in `enqueue`, also between two specs of the batch.
   */
  enqueueMany(specs: readonly EnqueueSpec[]): Promise<Array<{ job: Job; created: boolean }>>;
  /**
   * Claims up to `limit` ready jobs (queued, runAfter ≤ now), highest priority first, in one
   * write transaction. Jobs whose lease expired first count as a failed attempt (`lease_expired`)
   * and are retried, cancelled or declared dead like any other failure.
   */
  claim(opts: ClaimOptions): Promise<ClaimedJob[]>;
  /** Extends the lease; tells the worker whether it still holds it and whether cancel was asked. */
  heartbeat(id: string, leaseToken: string, leaseMs: number): Promise<HeartbeatResult>;
  /** Records progress; false when the lease is not held. */
  progress(id: string, leaseToken: string, progress: JobProgress): Promise<boolean>;
  /** Settles a held job as succeeded; false (and nothing written) when the lease is not held. */
  complete(id: string, leaseToken: string, completion: Completion): Promise<boolean>;
  /**
   * Settles many held jobs as succeeded in one write transaction (a group commit), each fenced by
   * its own lease token: the settled job for each one whose lease was held, null (and nothing
   * written for it) for each one whose lease was not.
   */
  completeMany(items: readonly CompletionOf[]): Promise<Array<Job | null>>;
  /**
   * `completeMany(items)` and then `claim(opts)` in one write transaction: a worker's group
   * commit of finished jobs also claims work for the slots they free. The claim sees the
   * completions (a stage's concurrency limit counts them as no longer running); a completion
   * refused by its token changes nothing, and the claim happens all the same.
   */
  completeAndClaim(items: readonly CompletionOf[], opts: ClaimOptions): Promise<{ settled: Array<Job | null>; claimed: ClaimedJob[] }>;
  /**
   * Records a failed attempt: retried after a backoff (`queued`), `failed` when not retryable,
   * `dead` after the last attempt, `cancelled` when cancel was asked. Null when the lease is not held.
   */
  fail(id: string, leaseToken: string, failure: Failure): Promise<JobState | null>;
  /** Cancels a waiting job at once; asks a running one to stop (its worker settles it). */
  cancel(id: string): Promise<Job | null>;
  /** Queues a failed, dead or cancelled job again with a fresh set of attempts (errors kept). */
  retry(id: string): Promise<Job | null>;
  get(id: string): Promise<Job | null>;
  list(filter: JobFilter): Promise<{ items: Job[]; next: string | null }>;
  /** The latest succeeded job with this cache key, if any. */
  findSucceeded(cacheKey: string): Promise<Job | null>;
  /** Appends lines to a job's log; false when the lease is not held. */
  appendLog(id: string, leaseToken: string, lines: readonly LogLine[]): Promise<boolean>;
  log(id: string, opts?: { afterId?: number; limit?: number }): Promise<Array<LogLine & { id: number }>>;
}

/** Exponential backoff with equal jitter: the n-th retry waits in [d/2, d], d = min(max, base · 2^(n-1)). */
export function backoffDelay(attempt: number, baseMs: number, maxMs: number, random: () => number): number {
  const d = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(d / 2 + (random() * d) / 2);
}
