// The behaviour every JobQueue adapter must show, as a vitest suite: jobQueueContract(make) is run
// by each adapter's test file against a fresh queue per test, on a clock the suite controls.
import { afterEach, describe, expect, it } from 'vitest';
import type { JobQueue } from './job-queue.ts';

export interface TestClock {
  now(): number;
  advance(ms: number): void;
}

export interface QueueUnderTest {
  queue: JobQueue;
  close(): Promise<void>;
}

/** `make` builds an empty queue that reads time from `clock.now`. */
export function jobQueueContract(name: string, make: (clock: TestClock) => Promise<QueueUnderTest>) {
  describe(`JobQueue contract: ${name}`, () => {
    let current: QueueUnderTest | null = null;
    let clock: TestClock;
    afterEach(async () => {
      await current?.close();
      current = null;
    });
    const setup = async () => {
      let t = 1_000_000;
      clock = { now: () => t, advance: (ms) => void (t += ms) };
      current = await make(clock);
      return current.queue;
    };
    const claimOne = async (q: JobQueue, workerId = 'w1', leaseMs = 10_000) => {
      const [job] = await q.claim({ workerId, limit: 1, leaseMs });
      expect(job, `worker ${workerId} claimed nothing`).toBeDefined();
      return job;
    };

    it('enqueues a job with the defaults and reads it back', async () => {
      const q = await setup();
      const { job, created } = await q.enqueue({ stage: 'noop', params: { a: 1 }, input: [1, 2], projectId: 'p1' });
      expect(created).toBe(true);
      expect(job).toMatchObject({ stage: 'noop', state: 'queued', attempts: 0, params: { a: 1 }, input: [1, 2], projectId: 'p1', errors: [] });
      expect(await q.get(job.id)).toEqual(job);
      expect(await q.get('missing')).toBeNull();
    });

    it('gives one job for one idempotency key', async () => {
      const q = await setup();
      const a = await q.enqueue({ stage: 'noop', idempotencyKey: 'k1', params: { n: 1 } });
      const b = await q.enqueue({ stage: 'noop', idempotencyKey: 'k1', params: { n: 2 } });
      expect(b.created).toBe(false);
      expect(b.job.id).toBe(a.job.id);
      expect(b.job.params).toEqual({ n: 1 });
      const c = await q.enqueue({ stage: 'noop', idempotencyKey: 'k2' });
      expect(c.job.id).not.toBe(a.job.id);
      expect((await q.list({})).items).toHaveLength(2);
    });

    it('claims the highest priority first, then in order of arrival, and each job once', async () => {
      const q = await setup();
      const low = await q.enqueue({ stage: 's', priority: 0 });
      const high = await q.enqueue({ stage: 's', priority: 5 });
      const low2 = await q.enqueue({ stage: 's', priority: 0 });
      const got = await q.claim({ workerId: 'w', limit: 10, leaseMs: 1000 });
      expect(got.map((j) => j.id)).toEqual([high.job.id, low.job.id, low2.job.id]);
      expect(got.every((j) => j.state === 'running' && j.attempts === 1 && j.leaseToken)).toBe(true);
      expect(await q.claim({ workerId: 'w2', limit: 10, leaseMs: 1000 })).toEqual([]);
      expect((await q.get(high.job.id))!.state).toBe('running');
    });

    it('never hands one job to two concurrent claims', async () => {
      const q = await setup();
      for (let i = 0; i < 50; i++) await q.enqueue({ stage: 's' });
      const batches = await Promise.all(Array.from({ length: 10 }, (_, i) => q.claim({ workerId: `w${i}`, limit: 7, leaseMs: 1000 })));
      const ids = batches.flat().map((j) => j.id);
      expect(ids).toHaveLength(50);
      expect(new Set(ids).size).toBe(50);
    });

    it('does not claim a job before its run-after time', async () => {
      const q = await setup();
      const { job } = await q.enqueue({ stage: 's', runAfter: clock.now() + 5_000 });
      expect(await q.claim({ workerId: 'w', limit: 1, leaseMs: 1000 })).toEqual([]);
      clock.advance(5_000);
      expect((await claimOne(q)).id).toBe(job.id);
    });

    it('claims only the stages asked for', async () => {
      const q = await setup();
      await q.enqueue({ stage: 'a' });
      const b = await q.enqueue({ stage: 'b' });
      const got = await q.claim({ workerId: 'w', limit: 5, leaseMs: 1000, stages: ['b', 'c'] });
      expect(got.map((j) => j.id)).toEqual([b.job.id]);
    });

    it('keeps each stage under its concurrency limit across claims', async () => {
      const q = await setup();
      for (let i = 0; i < 5; i++) await q.enqueue({ stage: 'heavy' });
      for (let i = 0; i < 3; i++) await q.enqueue({ stage: 'light' });
      const concurrency = { heavy: 2 };
      const first = await q.claim({ workerId: 'w1', limit: 10, leaseMs: 1000, concurrency });
      expect(first.filter((j) => j.stage === 'heavy')).toHaveLength(2);
      expect(first.filter((j) => j.stage === 'light')).toHaveLength(3);
      expect(await q.claim({ workerId: 'w2', limit: 10, leaseMs: 1000, concurrency })).toEqual([]);
      const done = first.find((j) => j.stage === 'heavy')!;
      expect(await q.complete(done.id, done.leaseToken, { result: null })).toBe(true);
      const next = await q.claim({ workerId: 'w2', limit: 10, leaseMs: 1000, concurrency });
      expect(next.map((j) => j.stage)).toEqual(['heavy']);
    });

    it('completes a held job with its result and what ran it', async () => {
      const q = await setup();
      const { job } = await q.enqueue({ stage: 's' });
      const c = await claimOne(q);
      expect(await q.complete(c.id, 'not-the-token', { result: 1 })).toBe(false);
      expect(await q.complete(c.id, c.leaseToken, { result: { n: 42 }, stageVersion: '3', stageSourceSha: 'ab', cacheKey: 'ck' })).toBe(true);
      const done = (await q.get(job.id))!;
      expect(done).toMatchObject({ state: 'succeeded', result: { n: 42 }, stageVersion: '3', stageSourceSha: 'ab', cacheKey: 'ck', leaseExpiresAt: null });
      expect(done.finishedAt).toBe(clock.now());
      expect(await q.complete(c.id, c.leaseToken, { result: 2 })).toBe(false);
      expect((await q.findSucceeded('ck'))!.id).toBe(job.id);
      expect(await q.findSucceeded('other')).toBeNull();
    });

    it('enqueues many jobs in one call, in order, with idempotency keys inside and across batches', async () => {
      const q = await setup();
      const before = await q.enqueue({ stage: 's', idempotencyKey: 'old' });
      const out = await q.enqueueMany([
        { stage: 'a', params: { n: 1 } },
        { stage: 'b', idempotencyKey: 'k' },
        { stage: 'c', idempotencyKey: 'k' },
        { stage: 'd', idempotencyKey: 'old' },
        { stage: 'e', priority: 5, input: [1] },
      ]);
      expect(out.map((o) => [o.job.stage, o.created])).toEqual([['a', true], ['b', true], ['b', false], ['s', false], ['e', true]]);
      expect(out[2].job.id).toBe(out[1].job.id);
      expect(out[3].job.id).toBe(before.job.id);
      for (const o of out) expect(await q.get(o.job.id)).toEqual(o.job);
      expect((await q.list({})).items).toHaveLength(4);
      expect(await q.enqueueMany([])).toEqual([]);
      const claimed = await q.claim({ workerId: 'w1', limit: 10, leaseMs: 1000 });
      expect(claimed.map((j) => j.stage)).toEqual(['e', 's', 'a', 'b']);
    });

    it('completes many held jobs in one call, each fenced by its own lease token', async () => {
      const q = await setup();
      await q.enqueueMany([{ stage: 's' }, { stage: 's' }, { stage: 's' }]);
      const [a, b, c] = await q.claim({ workerId: 'w1', limit: 3, leaseMs: 1_000 });
      clock.advance(10);
      const settled = await q.completeMany([
        { id: a.id, leaseToken: a.leaseToken, completion: { result: { n: 1 }, stageVersion: '2', cacheKey: 'ka' } },
        { id: b.id, leaseToken: 'not-the-token', completion: { result: 'stolen' } },
        { id: c.id, leaseToken: c.leaseToken, completion: { result: null, cachedFrom: a.id } },
        { id: a.id, leaseToken: a.leaseToken, completion: { result: 'twice' } },
        { id: 'missing', leaseToken: 'x', completion: { result: 1 } },
      ]);
      expect(settled.map((j) => j?.id ?? null)).toEqual([a.id, null, c.id, null, null]);
      expect(settled[0]).toEqual(await q.get(a.id));
      expect(settled[0]).toMatchObject({ state: 'succeeded', result: { n: 1 }, stageVersion: '2', cacheKey: 'ka', leaseExpiresAt: null, finishedAt: clock.now() });
      expect(settled[2]).toMatchObject({ state: 'succeeded', result: null, cachedFrom: a.id });
      expect((await q.get(b.id))!).toMatchObject({ state: 'running', result: null });
      expect(await q.complete(b.id, b.leaseToken, { result: 'mine' })).toBe(true);
      expect(await q.completeMany([])).toEqual([]);
    });

    it('completes many with the claimed jobs given: the same answers, cancel and progress written meanwhile included', async () => {
      const q = await setup();
      await q.enqueueMany([{ stage: 's', params: { p: 1 }, projectId: 'p1' }, { stage: 's' }, { stage: 's' }]);
      const [a, b, c] = await q.claim({ workerId: 'w1', limit: 3, leaseMs: 1_000 });
      clock.advance(10);
      expect(await q.progress(a.id, a.leaseToken, { fraction: 0.5, message: 'halfway' })).toBe(true);
      await q.cancel(c.id); // asked while running: the worker's completion still lands
      await q.heartbeat(a.id, a.leaseToken, 5_000);
      clock.advance(10);
      const settled = await q.completeMany([
        { id: a.id, leaseToken: a.leaseToken, completion: { result: { n: [1, 2] }, stageVersion: '3', stageSourceSha: 'abc' }, claimed: a },
        { id: b.id, leaseToken: 'not-the-token', completion: { result: 'stolen' }, claimed: b },
        { id: c.id, leaseToken: c.leaseToken, completion: { result: null, cacheKey: 'kc', cachedFrom: a.id }, claimed: c },
        { id: a.id, leaseToken: a.leaseToken, completion: { result: 'twice' }, claimed: a },
      ]);
      expect(settled.map((j) => j?.id ?? null)).toEqual([a.id, null, c.id, null]);
      expect(settled[0]).toEqual(await q.get(a.id));
      expect(settled[2]).toEqual(await q.get(c.id));
      expect(settled[0]).toMatchObject({ state: 'succeeded', result: { n: [1, 2] }, progress: { fraction: 1, message: 'halfway' }, stageVersion: '3', stageSourceSha: 'abc' });
      expect(settled[2]).toMatchObject({ state: 'succeeded', cancelRequested: true, cacheKey: 'kc', cachedFrom: a.id });
      expect(settled[0]).not.toHaveProperty('leaseToken');
      expect((await q.get(b.id))!).toMatchObject({ state: 'running', result: null });
    });

    it('completes and claims in one call: completions fenced as in completeMany, then ready jobs claimed', async () => {
      const q = await setup();
      await q.enqueueMany([{ stage: 's' }, { stage: 's' }, { stage: 's', priority: 1 }, { stage: 's' }]);
      const [c, a, b] = await q.claim({ workerId: 'w1', limit: 3, leaseMs: 1_000 });
      clock.advance(10);
      const { settled, claimed } = await q.completeAndClaim(
        [
          { id: a.id, leaseToken: a.leaseToken, completion: { result: 'a' }, claimed: a },
          { id: b.id, leaseToken: 'not-the-token', completion: { result: 'stolen' } },
          { id: c.id, leaseToken: c.leaseToken, completion: { result: 'c' } },
        ],
        { workerId: 'w2', limit: 5, leaseMs: 1_000 },
      );
      expect(settled.map((j) => j?.id ?? null)).toEqual([a.id, null, c.id]);
      expect(settled[0]).toEqual(await q.get(a.id));
      expect(settled[2]).toEqual(await q.get(c.id));
      // b is still running under w1: only the one queued job is claimed, by w2, fenced as any claim.
      expect(claimed).toHaveLength(1);
      const [d] = claimed;
      expect(d).toMatchObject({ state: 'running', workerId: 'w2', attempts: 1 });
      expect(await q.get(d.id)).toEqual((({ leaseToken, ...job }) => job)(d));
      expect(await q.complete(b.id, b.leaseToken, { result: 'b' })).toBe(true);
      expect(await q.completeAndClaim([], { workerId: 'w2', limit: 5, leaseMs: 1_000 })).toEqual({ settled: [], claimed: [] });
    });

    it('completeAndClaim: a stage limit counts the jobs completed in the same call as no longer running', async () => {
      const q = await setup();
      await q.enqueueMany([{ stage: 'one' }, { stage: 'one' }, { stage: 'one' }]);
      const [x] = await q.claim({ workerId: 'w1', limit: 5, leaseMs: 1_000, concurrency: { one: 1 } });
      expect(await q.claim({ workerId: 'w1', limit: 5, leaseMs: 1_000, concurrency: { one: 1 } })).toEqual([]);
      const { settled, claimed } = await q.completeAndClaim([{ id: x.id, leaseToken: x.leaseToken, completion: { result: null }, claimed: x }], {
        workerId: 'w1',
        limit: 5,
        leaseMs: 1_000,
        concurrency: { one: 1 },
      });
      expect(settled[0]?.state).toBe('succeeded');
      expect(claimed).toHaveLength(1);
    });

    it('reclaims a job whose lease expired and refuses the late worker (fencing)', async () => {
      const q = await setup();
      const { job } = await q.enqueue({ stage: 's', backoffMs: 100, backoffMaxMs: 100 });
      const first = await claimOne(q, 'dead-worker', 1_000);
      clock.advance(999);
      expect(await q.claim({ workerId: 'w2', limit: 1, leaseMs: 1000 })).toEqual([]);
      clock.advance(2);
      expect(await q.claim({ workerId: 'w2', limit: 1, leaseMs: 1000 })).toEqual([]); // expired now, waiting out its backoff
      const expired = (await q.get(job.id))!;
      expect(expired.state).toBe('queued');
      expect(expired.errors).toMatchObject([{ attempt: 1, code: 'lease_expired' }]);
      clock.advance(100);
      const second = await claimOne(q, 'w2', 1_000);
      expect(second.attempts).toBe(2);
      expect(await q.heartbeat(first.id, first.leaseToken, 1_000)).toEqual({ held: false, cancelRequested: false });
      expect(await q.progress(first.id, first.leaseToken, { fraction: 0.5, message: 'late' })).toBe(false);
      expect(await q.appendLog(first.id, first.leaseToken, [{ at: 1, stream: 'log', line: 'late' }])).toBe(false);
      expect(await q.complete(first.id, first.leaseToken, { result: 'late' })).toBe(false);
      expect(await q.fail(first.id, first.leaseToken, { message: 'late', retryable: true })).toBeNull();
      expect(await q.complete(second.id, second.leaseToken, { result: 'on time' })).toBe(true);
      expect((await q.get(job.id))!).toMatchObject({ state: 'succeeded', result: 'on time' });
    });

    it('keeps a heartbeating job and records progress', async () => {
      const q = await setup();
      await q.enqueue({ stage: 's' });
      const c = await claimOne(q, 'w1', 1_000);
      for (let i = 0; i < 5; i++) {
        clock.advance(800);
        expect(await q.heartbeat(c.id, c.leaseToken, 1_000)).toEqual({ held: true, cancelRequested: false });
      }
      expect(await q.claim({ workerId: 'w2', limit: 1, leaseMs: 1000 })).toEqual([]);
      expect(await q.progress(c.id, c.leaseToken, { fraction: 0.25, message: 'a quarter' })).toBe(true);
      expect((await q.get(c.id))!.progress).toEqual({ fraction: 0.25, message: 'a quarter' });
    });

    it('retries a failing job with growing delays, then declares it dead with every error', async () => {
      const q = await setup();
      const { job } = await q.enqueue({ stage: 's', maxAttempts: 5, backoffMs: 1_000, backoffMaxMs: 60_000 });
      const delays: number[] = [];
      for (let attempt = 1; attempt <= 5; attempt++) {
        const c = await claimOne(q);
        expect(c.attempts).toBe(attempt);
        const state = await q.fail(c.id, c.leaseToken, { message: `boom ${attempt}`, code: 'work', retryable: true });
        const after = (await q.get(job.id))!;
        if (attempt < 5) {
          expect(state).toBe('queued');
          const delay = after.runAfter - clock.now();
          delays.push(delay);
          expect(await q.claim({ workerId: 'w', limit: 1, leaseMs: 1000 })).toEqual([]);
          clock.advance(delay);
        } else expect(state).toBe('dead');
      }
      for (let i = 1; i < delays.length; i++) expect(delays[i]).toBeGreaterThanOrEqual(delays[i - 1]);
      expect(delays[3]).toBeGreaterThan(delays[0]);
      expect(delays[0]).toBeGreaterThanOrEqual(500);
      expect(delays[0]).toBeLessThanOrEqual(1_000);
      const dead = (await q.get(job.id))!;
      expect(dead.state).toBe('dead');
      expect(dead.errors.map((e) => e.message)).toEqual(['boom 1', 'boom 2', 'boom 3', 'boom 4', 'boom 5']);
      expect(dead.errors.map((e) => e.attempt)).toEqual([1, 2, 3, 4, 5]);
      expect(dead.errors[4].retryAt).toBeUndefined();
      expect(dead.finishedAt).toBe(clock.now());
    });

    it('fails a job at once on an error that is not retryable', async () => {
      const q = await setup();
      const { job } = await q.enqueue({ stage: 's', maxAttempts: 5 });
      const c = await claimOne(q);
      expect(await q.fail(c.id, c.leaseToken, { message: 'bad params', code: 'params', retryable: false, stageVersion: '2' })).toBe('failed');
      expect((await q.get(job.id))!).toMatchObject({ state: 'failed', stageVersion: '2', errors: [{ message: 'bad params', code: 'params' }] });
    });

    it('cancels a waiting job at once; a running one when its worker settles it, without retrying', async () => {
      const q = await setup();
      const waiting = (await q.enqueue({ stage: 's', priority: -1 })).job;
      const running = (await q.enqueue({ stage: 's', maxAttempts: 5 })).job;
      const c = await claimOne(q);
      expect(c.id).toBe(running.id);
      expect((await q.cancel(waiting.id))!.state).toBe('cancelled');
      expect(await q.claim({ workerId: 'w', limit: 5, leaseMs: 1000 })).toEqual([]);
      const asked = (await q.cancel(running.id))!;
      expect(asked).toMatchObject({ state: 'running', cancelRequested: true });
      expect(await q.heartbeat(c.id, c.leaseToken, 1000)).toEqual({ held: true, cancelRequested: true });
      expect(await q.fail(c.id, c.leaseToken, { message: 'aborted', code: 'cancelled', retryable: true })).toBe('cancelled');
      expect((await q.get(running.id))!.state).toBe('cancelled');
      expect((await q.cancel(running.id))!.state).toBe('cancelled');
      expect(await q.cancel('missing')).toBeNull();
    });

    it('settles a cancelled job whose worker died as cancelled, not retried', async () => {
      const q = await setup();
      const { job } = await q.enqueue({ stage: 's' });
      await claimOne(q, 'w1', 1000);
      await q.cancel(job.id);
      clock.advance(1001);
      expect(await q.claim({ workerId: 'w2', limit: 1, leaseMs: 1000 })).toEqual([]);
      expect((await q.get(job.id))!.state).toBe('cancelled');
    });

    it('retries a dead job with fresh attempts and keeps its errors', async () => {
      const q = await setup();
      const { job } = await q.enqueue({ stage: 's', maxAttempts: 1 });
      const c = await claimOne(q);
      expect(await q.fail(c.id, c.leaseToken, { message: 'once', retryable: true })).toBe('dead');
      expect(await q.retry('missing')).toBeNull();
      const again = (await q.retry(job.id))!;
      expect(again).toMatchObject({ state: 'queued', attempts: 0, errors: [{ message: 'once' }] });
      const c2 = await claimOne(q);
      expect(c2.attempts).toBe(1);
      expect((await q.retry(job.id))!.state).toBe('running'); // a running job is left alone
    });

    it('lists jobs newest first with filters and pages', async () => {
      const q = await setup();
      const ids: string[] = [];
      for (let i = 0; i < 5; i++) ids.push((await q.enqueue({ stage: i % 2 ? 'odd' : 'even', projectId: 'p', runId: i < 2 ? 'r1' : null })).job.id);
      await q.enqueue({ stage: 'even', projectId: 'other' });
      const page1 = await q.list({ projectId: 'p', limit: 2 });
      expect(page1.items.map((j) => j.id)).toEqual([ids[4], ids[3]]);
      const page2 = await q.list({ projectId: 'p', limit: 2, cursor: page1.next });
      const page3 = await q.list({ projectId: 'p', limit: 2, cursor: page2.next });
      expect([...page2.items, ...page3.items].map((j) => j.id)).toEqual([ids[2], ids[1], ids[0]]);
      expect(page3.next).toBeNull();
      expect((await q.list({ projectId: 'p', stage: 'odd' })).items.map((j) => j.id)).toEqual([ids[3], ids[1]]);
      expect((await q.list({ runId: 'r1' })).items).toHaveLength(2);
      expect((await q.list({ state: 'running' })).items).toEqual([]);
    });

    it("appends to a held job's log and reads it back in order", async () => {
      const q = await setup();
      await q.enqueue({ stage: 's' });
      const c = await claimOne(q);
      expect(await q.appendLog(c.id, c.leaseToken, [
        { at: 1, stream: 'log', line: 'one' },
        { at: 2, stream: 'stdout', line: 'two' },
      ])).toBe(true);
      expect(await q.appendLog(c.id, c.leaseToken, [{ at: 3, stream: 'stderr', line: 'three' }])).toBe(true);
      const lines = await q.log(c.id);
      expect(lines.map((l) => [l.stream, l.line])).toEqual([['log', 'one'], ['stdout', 'two'], ['stderr', 'three']]);
      expect((await q.log(c.id, { afterId: lines[1].id })).map((l) => l.line)).toEqual(['three']);
    });
  });
}
