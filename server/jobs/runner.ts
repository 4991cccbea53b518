// The job runner: claims jobs for the stages it knows, runs each stage's work with its ctx,
// heartbeats the leases (one timer for all), and settles the job (cached, succeeded, retried, failed, dead, cancelled).
// One runner runs many jobs at once; the server runs one, `tessera worker` runs more.
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import type { z } from 'zod';
import { describeIssues, StageError, type StageBlobs, type StageServices } from '../../shared/stage.ts';
import type { ClaimedJob, ClaimOptions, Failure, Job, JobQueue } from '../ports/job-queue.ts';
import type { ScratchDirs } from '../ports/stage-files.ts';
import { cacheKey } from './cache-key.ts';
import { completionBatcher } from './completions.ts';
import type { StageRegistry } from './registry.ts';
import { LazyAbort } from './lazy-abort.ts';
import { Attempt, type AttemptHost } from './stage-context.ts';

export interface RunnerOptions {
  queue: JobQueue;
  stages: StageRegistry;
  /** What a job's ctx reaches: blobs and the project's data as the job's user. */
  resources(job: Job): { blobs: StageBlobs; services: StageServices };
  workerId?: string;
  /** Jobs run at once (default 4). */
  concurrency?: number;
  leaseMs?: number;
  heartbeatMs?: number;
  /** How often an idle runner looks for work that another process queued (default 500 ms). */
  pollMs?: number;
  progressMs?: number;
  /** Whether this process may run `runsIn: 'server'` stages (the server: yes; workers: no). */
  serverStages?: boolean;
  /** Where ctx.tempDir folders are made (without it, a stage asking for one fails saying so). */
  scratch?: ScratchDirs;
  /** After every state change (claimed, progress, settled) — events, pipeline advancement. */
  onJob?(job: Job, change: 'started' | 'progress' | 'settled'): void | Promise<void>;
  log?(message: string): void;
  now?: () => number;
}

export interface Runner {
  start(): void;
  /** Looks for work now (call after enqueueing in this process). */
  wake(): void;
  /** Aborts a job running here (after queue.cancel marked it). */
  abort(jobId: string): boolean;
  readonly active: number;
  /**
   * Stops claiming and waits for running jobs to settle; with `abort`, aborts them first (they
   * are queued again, for this or another worker).
   */
  stop(opts?: { abort?: boolean }): Promise<void>;
}

class LeaseLost extends Error {
  constructor() {
    super('lease lost: another worker took the job over');
  }
}
class Shutdown extends Error {
  constructor() {
    super('the worker stopped while the job ran');
    this.name = 'AbortError';
  }
}
class Cancelled extends Error {
  constructor() {
    super('cancelled');
    this.name = 'AbortError';
  }
}

function parseWith(schema: z.ZodType, value: unknown, what: string, stage: string): unknown {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  throw new StageError(`${stage}: ${describeIssues(what, r.error)}`, { code: what === 'output' ? 'output' : what === 'with' ? 'params' : 'input', retryable: false });
}

/** A job running here: its abort, whether its lease was lost, and when it settles. */
interface Running {
  job: ClaimedJob;
  abort: LazyAbort;
  lost: boolean;
  /** A heartbeat of it is in flight (the next tick skips it). */
  beating: boolean;
  /**
   * Its work has ended and its outcome is being written: no more heartbeats, and the answer of
   * one in flight is ignored (the job's own completion or failure is what fences it now; a beat
   * answering "not held" after the failure settled it must not hide its settled event).
   */
  settling: boolean;
  done: Promise<void>;
}

export function createRunner(o: RunnerOptions): Runner {
  const workerId = o.workerId ?? `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
  const concurrency = o.concurrency ?? 4;
  const leaseMs = o.leaseMs ?? 30_000;
  const heartbeatMs = o.heartbeatMs ?? Math.max(50, Math.floor(leaseMs / 3));
  const pollMs = o.pollMs ?? 500;
  const now = o.now ?? Date.now;
  const log = o.log ?? ((m: string) => console.error(m));
  /** Free slots worth a claim while others still run: one write transaction for a quarter of them. */
  const claimBatch = Math.max(1, concurrency >> 2);
  const scratchOf = (): ScratchDirs => {
    if (!o.scratch) throw new Error('this job runner has no scratch space for ctx.tempDir (RunnerOptions.scratch)');
    return o.scratch;
  };
  const host: AttemptHost = {
    queue: o.queue,
    progressMs: o.progressMs ?? 250,
    now,
    makeTempDir: (job) => scratchOf().make(`tessera-job-${job.id}-`),
    onProgress: (job, fraction, message) => void notify({ ...job, progress: { fraction, message } }, 'progress'),
    onError: (job, e) => log(`job ${job.id}: writing progress/log: ${(e as Error).message}`),
  };
  const running = new Map<string, Running>();
  let started = false;
  let stopped = false;
  /** A claim is in flight (the loop's, or one riding on a batch of completions): one at a time. */
  let claiming = false;
  /** How many jobs the claim in flight asked for. */
  let asked = 0;
  let wakeUp: (() => void) | null = null;
  let woken = false;
  let loopDone: Promise<void> = Promise.resolve();
  let beatTimer: NodeJS.Timeout | null = null;

  const runnable = () =>
    o.stages
      .list()
      .filter((r) => o.serverStages || r.stage.runsIn !== 'server')
      .map((r) => r.stage);

  const claimOptions = (limit: number): ClaimOptions => {
    const stages = runnable();
    const limits: Record<string, number> = {};
    for (const s of stages) if (s.concurrency) limits[s.name] = s.concurrency;
    return { workerId, limit, leaseMs, stages: stages.map((s) => s.name), concurrency: limits };
  };

  const startJob = (job: ClaimedJob) => {
    const r: Running = { job, abort: new LazyAbort(), lost: false, beating: false, settling: false, done: Promise.resolve() };
    running.set(job.id, r);
    r.done = run(r);
  };

  /**
   * Completions written together also claim work for the slots they free, in the same write
   * transaction (one commit per batch of short jobs instead of two), under the loop's rule: a
   * claim's worth of free slots, or none running.
   */
  const completions = completionBatcher(o.queue, {
    options(completing) {
      if (stopped || claiming) return null;
      const working = running.size - completing;
      const free = concurrency - working;
      if (free <= 0 || (working > 0 && free < claimBatch)) return null;
      claiming = true;
      asked = free;
      return claimOptions(free);
    },
    claimed(jobs) {
      claiming = false;
      for (const job of jobs) startJob(job);
      // Fewer than asked: nothing more is ready now, or a wake came while this claim was in
      // flight (the loop skipped it); let the loop look again.
      if (jobs.length < asked) wake();
    },
  });

  const wake = () => {
    woken = true;
    wakeUp?.();
  };

  const notify = async (job: Job | null, change: 'started' | 'progress' | 'settled') => {
    if (!job || !o.onJob) return;
    try {
      await o.onJob(job, change);
    } catch (e) {
      log(`job ${job.id}: after ${change}: ${(e as Error).stack ?? e}`);
    }
  };

  /**
   * One timer for the runner renews the lease of every job running here (each every heartbeatMs
   * at most), rather than a timer per job: a job shorter than a beat costs no timer at all.
   */
  const beatAll = () => {
    for (const r of running.values()) {
      if (r.beating || r.lost || r.settling) continue;
      r.beating = true;
      o.queue.heartbeat(r.job.id, r.job.leaseToken, leaseMs).then(
        (h) => {
          r.beating = false;
          if (r.settling) return;
          if (!h.held) {
            r.lost = true;
            r.abort.abort(new LeaseLost());
          } else if (h.cancelRequested && !r.abort.aborted) r.abort.abort(new Cancelled());
        },
        (e) => {
          r.beating = false;
          log(`job ${r.job.id}: heartbeat: ${(e as Error).message}`);
        },
      );
    }
  };

  async function run(r: Running): Promise<void> {
    const { job, abort } = r;
    const reg = o.stages.get(job.stage);
    const record = { stageVersion: reg?.stage.version ?? null, stageSourceSha: reg?.sourceSha ?? null, cacheKey: null as string | null };
    /** The job as its completion committed it (no read back for the settled event). */
    let settled: Job | null = null;
    let attempt: Attempt | null = null;
    try {
      if (o.onJob) void notify(job, 'started');
      if (!reg) throw new StageError(`no stage named "${job.stage}" in this process`, { code: 'unknown_stage', retryable: false });
      const { stage } = reg;
      const params = parseWith(stage.params, job.params ?? {}, 'with', stage.name);
      const input = parseWith(stage.input, job.input ?? undefined, 'input', stage.name);
      if (stage.cache) {
        record.cacheKey = cacheKey(stage, params, input);
        const hit = await o.queue.findSucceeded(record.cacheKey);
        if (hit && hit.id !== job.id) {
          r.settling = true;
          await o.queue.appendLog(job.id, job.leaseToken, [{ at: now(), stream: 'log', line: `unchanged: reused the output of job ${hit.cachedFrom ?? hit.id}` }]);
          settled = await completions.complete(job, { result: hit.result, cachedFrom: hit.cachedFrom ?? hit.id, ...record });
          if (!settled) r.lost = true;
          return;
        }
      }
      const { blobs, services } = o.resources(job);
      attempt = new Attempt(host, job, params, abort, blobs, services);
      abort.throwIfAborted();
      const out = await stage.work(input, attempt.ctx);
      r.settling = true;
      abort.throwIfAborted();
      const result = parseWith(stage.output, out, 'output', stage.name);
      if (attempt.busy) await attempt.flush();
      settled = await completions.complete(job, { result, ...record });
      if (!settled) r.lost = true;
    } catch (e) {
      r.settling = true;
      try {
        if (attempt?.busy) await attempt.flush();
        if (!r.lost) {
          const failure: Failure = { ...record, message: String(e), retryable: true };
          if (abort.aborted && abort.reason instanceof Cancelled) Object.assign(failure, { message: 'cancelled', code: 'cancelled' });
          else if (abort.aborted && abort.reason instanceof Shutdown) Object.assign(failure, { message: abort.reason.message, code: 'shutdown' });
          else if (e instanceof StageError) Object.assign(failure, { message: e.message, code: e.code, retryable: e.retryable, stack: e.stack });
          else if (e instanceof Error) Object.assign(failure, { message: `${job.stage}: ${e.message}`, code: 'work', stack: e.stack });
          await o.queue.fail(job.id, job.leaseToken, failure);
        }
      } catch (e2) {
        log(`job ${job.id}: ${(e2 as Error).stack ?? e2}`);
      }
    } finally {
      try {
        attempt?.close();
        const dir = attempt?.tempDir;
        if (dir) await scratchOf().remove(dir).catch((e) => log(`job ${job.id}: removing ${dir}: ${(e as Error).message}`));
        if (!r.lost && o.onJob) await notify(settled ?? (await o.queue.get(job.id)), 'settled');
      } catch (e) {
        log(`job ${job.id}: ${(e as Error).stack ?? e}`);
      }
      running.delete(job.id);
      // A freed slot is worth a look only once a claim's worth of them is free (or none runs).
      if (running.size === 0 || concurrency - running.size >= claimBatch) wake();
    }
  }

  async function loop() {
    while (!stopped) {
      // Set again by every wake (a job enqueued here, slots freed) from here on: one seen
      // before the wait below means the loop looks again instead of sleeping through it.
      woken = false;
      const free = concurrency - running.size;
      let claimed: ClaimedJob[] = [];
      // Claim in batches: one write transaction for a quarter of the slots, not one per freed slot.
      const mayClaim = !claiming && free > 0 && (running.size === 0 || free >= claimBatch);
      if (mayClaim) {
        claiming = true;
        try {
          claimed = await o.queue.claim(claimOptions(free));
        } catch (e) {
          log(`claiming jobs: ${(e as Error).message}`);
        } finally {
          claiming = false;
        }
        for (const job of claimed) startJob(job);
        if (claimed.length === free) continue;
      }
      if (woken) continue;
      await new Promise<void>((r) => {
        const t = setTimeout(r, pollMs);
        wakeUp = () => {
          clearTimeout(t);
          r();
        };
      });
      wakeUp = null;
    }
  }

  return {
    start() {
      if (started) return;
      started = true;
      beatTimer = setInterval(beatAll, heartbeatMs);
      beatTimer.unref();
      loopDone = loop();
    },
    wake,
    abort(jobId) {
      const r = running.get(jobId);
      if (!r) return false;
      r.abort.abort(new Cancelled());
      return true;
    },
    get active() {
      return running.size;
    },
    async stop(opts = {}) {
      stopped = true;
      if (opts.abort) for (const r of running.values()) r.abort.abort(new Shutdown());
      wakeUp?.();
      await loopDone;
      await Promise.all([...running.values()].map((r) => r.done));
      if (beatTimer) clearInterval(beatTimer);
      beatTimer = null;
    },
  };
}
