import { describe, expect, it } from 'vitest';
import { memoryUpdateStore } from '../adapters/memory/update-store.ts';
import { CommitQueue } from './commit-queue.ts';

const busy = (ms: number) => {
  const until = performance.now() + ms;
  while (performance.now() < until);
};

describe('CommitQueue', () => {
  it('works through a backlog in slices: the event loop runs between them', async () => {
    const q = new CommitQueue(memoryUpdateStore(), { maxGroup: 2000, maxGroupBytes: 1 << 20, sliceMs: 5 });
    let stepsDone = 0;
    let stepsWhenLoopRan = -1;
    const steps = Array.from({ length: 40 }, () => q.exclusive(() => (busy(1), stepsDone++)));
    setImmediate(() => (stepsWhenLoopRan = stepsDone));
    await Promise.all(steps);
    // 40 steps of 1 ms with a turn at least every 5 ms: the loop ran long before the last one
    expect(stepsWhenLoopRan).toBeGreaterThanOrEqual(0);
    expect(stepsWhenLoopRan).toBeLessThan(40);
  });

  it('keeps arrival order across slices: appends settle in order, a read after them sees them all', async () => {
    const store = memoryUpdateStore();
    const q = new CommitQueue(store, { maxGroup: 3, maxGroupBytes: 1 << 20, sliceMs: 0 });
    const settled: number[] = [];
    for (let i = 0; i < 20; i++) q.append({ docName: 'ann:x', update: new Uint8Array([i]), userId: 'u' }, () => void settled.push(i));
    const rows = await q.exclusive(() => store.load('ann:x'));
    expect(settled).toEqual([...Array(20).keys()]);
    expect(rows.map((r) => r[0])).toEqual([...Array(20).keys()]);
  });

  it('runs what the callbacks return after all of the group settled and onSettled ran, in the same turn', async () => {
    const events: string[] = [];
    const q = new CommitQueue(memoryUpdateStore(), { maxGroup: 10, maxGroupBytes: 1 << 20, sliceMs: 5, onSettled: () => events.push('flush') });
    for (const i of [0, 1]) {
      q.append({ docName: 'ann:x', update: new Uint8Array([i]), userId: 'u' }, () => {
        events.push(`relay ${i}`);
        return () => events.push(`hook ${i}`);
      });
    }
    q.after(() => events.push('marker'));
    await q.idle();
    expect(events).toEqual(['relay 0', 'relay 1', 'marker', 'flush', 'hook 0', 'hook 1']);
  });
});
