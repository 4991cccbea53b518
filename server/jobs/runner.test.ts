// The runner end to end on a real SQLite queue: validation, recording, retries, cancellation
// (of work and of a ctx.exec child), exec failures, and the cache.
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineStage } from '../../shared/stage.ts';
import { jobHarness, noResources, settledCounter, sha256File, type JobHarness } from '../testing/jobs.ts';
import { stageRegistry } from './registry.ts';
import { fsStageFiles } from '../adapters/fs/stage-files.ts';
import { createRunner } from './runner.ts';
import type { Job, JobQueue } from '../ports/job-queue.ts';
import { sqliteJobQueue } from '../adapters/sqlite/job-queue.ts';
import { tempDb } from '../testing/fixtures.ts';
import { fileURLToPath } from 'node:url';

let h: JobHarness | null = null;
afterEach(async () => {
  await h?.close();
  h = null;
});

const scale = defineStage({
  name: 'scale',
  version: 1,
  params: z.object({ ratio: z.number() }),
  input: z.object({ values: z.array(z.number()) }),
  output: z.object({ values: z.array(z.number()) }),
  async work(input, ctx) {
    ctx.log.info('scaling', input.values.length, 'values');
    ctx.progress(0.5, 'half way');
    return { values: input.values.map((v) => v * ctx.params.ratio) };
  },
});

const liar = defineStage({
  name: 'liar',
  version: 1,
  output: z.object({ count: z.number() }),
  work: async () => ({ count: 'three' }) as never,
});

let throws = 0;
const flaky = defineStage({
  name: 'always-throws',
  version: 1,
  maxAttempts: 4,
  work: async (_i, ctx) => {
    throws++;
    throw new Error(`attempt ${ctx.job.attempt} broke`);
  },
  output: z.null(),
});

const pid = (s: string) => Number(/child (\d+)/.exec(s)?.[1]);
const alive = (p: number) => {
  try {
    process.kill(p, 0);
    return true;
  } catch {
    return false;
  }
};

describe('job runner', () => {
  it('runs a stage: validated params and input, output stored with the stage version and source hash, progress and log kept', async () => {
    h = jobHarness([scale], import.meta.url);
    const { job } = await h.queue.enqueue({ stage: 'scale', params: { ratio: 2 }, input: { values: [1, 2, 3] } });
    h.runner.wake();
    const done = await h.settled(job.id);
    expect(done).toMatchObject({ state: 'succeeded', result: { values: [2, 4, 6] }, stageVersion: '1', progress: { fraction: 1 } });
    expect(done.stageSourceSha).toBe(sha256File(fileURLToPath(import.meta.url)));
    expect(done.cacheKey).toMatch(/^[0-9a-f]{64}$/);
    expect((await h.queue.log(job.id)).map((l) => l.line)).toContain('scaling 3 values');
  });

  it('fails at once, naming the stage and the field, on bad parameters or output', async () => {
    h = jobHarness([scale, liar], import.meta.url);
    const bad = await h.queue.enqueue({ stage: 'scale', params: { ratio: 'big' }, input: { values: [] } });
    const lying = await h.queue.enqueue({ stage: 'liar' });
    h.runner.wake();
    const b = await h.settled(bad.job.id);
    expect(b.state).toBe('failed');
    expect(b.errors).toMatchObject([{ code: 'params', message: 'scale: with.ratio: expected number' }]);
    const l = await h.settled(lying.job.id);
    expect(l.state).toBe('failed');
    expect(l.errors).toMatchObject([{ code: 'output', message: 'liar: output.count: expected number' }]);
  });

  it('retries a job that always throws with growing delays, then declares it dead with every error', async () => {
    throws = 0;
    h = jobHarness([flaky], import.meta.url);
    const { job } = await h.queue.enqueue({ stage: 'always-throws', maxAttempts: 4, backoffMs: 40, backoffMaxMs: 10_000 });
    h.runner.wake();
    const dead = await h.settled(job.id);
    expect(dead.state).toBe('dead');
    expect(throws).toBe(4);
    expect(dead.errors.map((e) => e.message)).toEqual([1, 2, 3, 4].map((n) => `always-throws: attempt ${n} broke`));
    const waits = dead.errors.slice(0, 3).map((e) => e.retryAt! - e.at);
    expect(waits[0]).toBeGreaterThanOrEqual(20);
    expect(waits[1]).toBeGreaterThanOrEqual(waits[0]);
    expect(waits[2]).toBeGreaterThanOrEqual(waits[1]);
    expect(waits[2]).toBeGreaterThan(waits[0]);
    // Each attempt started no earlier than its retry time.
    const started = dead.errors.slice(1).map((e) => e.at);
    dead.errors.slice(0, 3).forEach((e, i) => expect(started[i]).toBeGreaterThanOrEqual(e.retryAt!));
  });

  for (const via of ['in-process abort', 'heartbeat (another process cancelled it)'] as const) {
    it(`cancels a running job through ${via}: its work and its ctx.exec child stop, the job ends cancelled, not retried`, async () => {
      let sawAbort = false;
      let started!: () => void;
      const running = new Promise<void>((r) => (started = r));
      const sleeper = defineStage({
        name: 'sleeper',
        version: 1,
        output: z.null(),
        async work(_i, ctx) {
          ctx.signal.addEventListener('abort', () => (sawAbort = true));
          const child = ctx.exec('sh', ['-c', 'echo child $$; exec sleep 30']);
          await new Promise<void>((r) => setTimeout(r, 0));
          started();
          await child;
          return null;
        },
      });
      h = jobHarness([sleeper], import.meta.url, { heartbeatMs: 50 });
      const { job } = await h.queue.enqueue({ stage: 'sleeper', maxAttempts: 3 });
      h.runner.wake();
      await running;
      // Wait for the child's first line to reach the log, which names its pid.
      let childPid = 0;
      while (!childPid) {
        const lines = await h.queue.log(job.id);
        childPid = pid(lines.map((l) => l.line).join('\n'));
        if (!childPid) await new Promise((r) => setTimeout(r, 20));
      }
      expect(alive(childPid)).toBe(true);
      await h.queue.cancel(job.id);
      if (via === 'in-process abort') expect(h.runner.abort(job.id)).toBe(true);
      const done = await h.settled(job.id);
      expect(done.state).toBe('cancelled');
      expect(done.attempts).toBe(1);
      expect(sawAbort).toBe(true);
      expect(alive(childPid)).toBe(false);
    });
  }

  it('fails a job whose program exits non-zero, naming the exit code and keeping its stderr in the log', async () => {
    const script = defineStage({
      name: 'script',
      version: 1,
      output: z.null(),
      async work(_i, ctx) {
        await ctx.exec('sh', ['-c', 'echo working; echo broken >&2; exit 3']);
        return null;
      },
    });
    h = jobHarness([script], import.meta.url);
    const { job } = await h.queue.enqueue({ stage: 'script', maxAttempts: 1 });
    h.runner.wake();
    const done = await h.settled(job.id);
    expect(done.state).toBe('dead');
    expect(done.errors[0]).toMatchObject({ code: 'exit_code' });
    expect(done.errors[0].message).toContain('exited with code 3: broken');
    const log = await h.queue.log(job.id);
    expect(log.map((l) => [l.stream, l.line])).toEqual([['stdout', 'working'], ['stderr', 'broken']]);
  });

  it('a program that is not installed fails at once with its name', async () => {
    const missing = defineStage({ name: 'missing', version: 1, output: z.null(), work: async (_i, ctx) => (await ctx.exec('no-such-program-xyz', []), null) });
    h = jobHarness([missing], import.meta.url);
    const { job } = await h.queue.enqueue({ stage: 'missing', maxAttempts: 3 });
    h.runner.wake();
    expect((await h.settled(job.id)).errors).toMatchObject([{ code: 'exec', message: 'no-such-program-xyz: program not found' }]);
  });

  it('reuses the output of an unchanged run; a changed parameter or version runs again', async () => {
    let runs = 0;
    const make = (version: number) =>
      defineStage({
        name: 'counted',
        version,
        params: z.object({ k: z.number() }),
        output: z.object({ k: z.number(), version: z.number() }),
        work: async (_i, ctx) => (runs++, { k: ctx.params.k, version }),
      });
    h = jobHarness([make(1)], import.meta.url);
    const run = async (k: number) => {
      const { job } = await h!.queue.enqueue({ stage: 'counted', params: { k } });
      h!.runner.wake();
      return h!.settled(job.id);
    };
    const first = await run(1);
    const second = await run(1);
    expect(runs).toBe(1);
    expect(second).toMatchObject({ state: 'succeeded', cachedFrom: first.id, result: first.result, cacheKey: first.cacheKey });
    expect((await h.queue.log(second.id)).map((l) => l.line)).toEqual([`unchanged: reused the output of job ${first.id}`]);
    const changed = await run(2);
    expect(runs).toBe(2);
    expect(changed.cachedFrom).toBeNull();
    // Version 2 of the stage (same name, same params), run by another runner on the same queue.
    await h.runner.stop();
    const registry = stageRegistry(fsStageFiles());
    registry.add(make(2), fileURLToPath(import.meta.url));
    let settle!: (j: Job) => void;
    const settledV2 = new Promise<Job>((r) => (settle = r));
    const v2 = createRunner({
      queue: h.queue,
      stages: registry,
      resources: noResources,
      pollMs: 20,
      log: () => {},
      onJob: (j, change) => void (change === 'settled' && settle(j)),
    });
    v2.start();
    await h.queue.enqueue({ stage: 'counted', params: { k: 1 } });
    v2.wake();
    const third = await settledV2;
    await v2.stop();
    expect(runs).toBe(3);
    expect(third).toMatchObject({ state: 'succeeded', cachedFrom: null, stageVersion: '2', result: { k: 1, version: 2 } });
  });

  it('settles jobs that finish together in one group commit (with or without the next claim), each settled event after its commit', async () => {
    const t = tempDb();
    const real = sqliteJobQueue(t.db);
    const batches: number[] = [];
    const queue: JobQueue = {
      ...real,
      completeMany: (items) => (batches.push(items.length), real.completeMany(items)),
      completeAndClaim: (items, o) => (batches.push(items.length), real.completeAndClaim(items, o)),
    };
    const stages = stageRegistry(fsStageFiles());
    stages.add(defineStage({ name: 'noop', version: 1, cache: false, output: z.null(), work: () => null }), fileURLToPath(import.meta.url));
    const N = 40;
    const seen: string[] = [];
    const wrong: string[] = [];
    let allSettled!: () => void;
    const settled = new Promise<void>((r) => (allSettled = r));
    const runner = createRunner({
      queue,
      stages,
      resources: noResources,
      concurrency: N,
      log: () => {},
      onJob: async (job, change) => {
        if (change !== 'settled') return;
        // The event carries the committed row: reading it back gives the same job.
        const stored = await real.get(job.id);
        if (job.state !== 'succeeded' || JSON.stringify(stored) !== JSON.stringify(job)) wrong.push(job.id);
        if (seen.push(job.id) === N) allSettled();
      },
    });
    try {
      const enqueued = await queue.enqueueMany(Array.from({ length: N }, () => ({ stage: 'noop' })));
      runner.start();
      await settled;
      expect(new Set(seen)).toEqual(new Set(enqueued.map((e) => e.job.id)));
      expect(wrong, 'settled events that did not match the committed row').toEqual([]);
      expect(batches.reduce((a, b) => a + b, 0)).toBe(N);
      expect(batches.length, `completion batches: ${batches.join(', ')}`).toBeLessThan(N / 4);
    } finally {
      await runner.stop();
      t.cleanup();
    }
  });

  it('claims the next jobs in the transaction that completes the last ones, each job run once', async () => {
    const t = tempDb();
    const real = sqliteJobQueue(t.db);
    const calls = { claim: 0, along: 0, claimedAlong: 0 };
    const queue: JobQueue = {
      ...real,
      claim: (o) => (calls.claim++, real.claim(o)),
      completeAndClaim: async (items, o) => {
        calls.along++;
        const r = await real.completeAndClaim(items, o);
        calls.claimedAlong += r.claimed.length;
        return r;
      },
    };
    const stages = stageRegistry(fsStageFiles());
    const runs = new Map<string, number>();
    stages.add(
      defineStage({ name: 'count', version: 1, cache: false, output: z.null(), work: (_i, ctx) => (runs.set(ctx.job.id, (runs.get(ctx.job.id) ?? 0) + 1), null) }),
      fileURLToPath(import.meta.url),
    );
    const N = 200;
    const settled = settledCounter(N);
    const runner = createRunner({ queue, stages, resources: noResources, concurrency: 20, log: () => {}, onJob: settled.onJob });
    try {
      const enqueued = await queue.enqueueMany(Array.from({ length: N }, () => ({ stage: 'count' })));
      runner.start();
      await settled.all;
      expect(runs.size).toBe(N);
      expect([...runs.values()].every((n) => n === 1)).toBe(true);
      for (const e of enqueued) expect((await real.get(e.job.id))?.state).toBe('succeeded');
      // After the first claim, the work came with the completions (a few loop claims at the edges).
      expect(calls.claimedAlong).toBeGreaterThanOrEqual(N - 40);
      expect(calls.claim, JSON.stringify(calls)).toBeLessThan(calls.along);
    } finally {
      await runner.stop();
      t.cleanup();
    }
  });
});
