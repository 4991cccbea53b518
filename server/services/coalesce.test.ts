import { describe, expect, it } from 'vitest';
import { coalescePerKey } from './coalesce.ts';

/** A job that records its runs and finishes when told to. */
function gatedJob() {
  const runs: string[] = [];
  const gates: Array<() => void> = [];
  const job = (key: string, n: number) => {
    runs.push(`${key}${n}`);
    return new Promise<void>((r) => gates.push(r));
  };
  const release = async () => {
    gates.shift()!();
    await new Promise((r) => setImmediate(r));
  };
  return { runs, job, release, open: () => gates.length };
}

describe('coalescePerKey', () => {
  it('runs a burst as the first call and one more with the last arguments', async () => {
    const g = gatedJob();
    const fire = coalescePerKey<[string, number]>((k) => k, g.job, () => {});
    fire('a', 1);
    fire('a', 2);
    fire('a', 3);
    fire('b', 1);
    expect(g.runs).toEqual(['a1', 'b1']);
    await g.release(); // a1 done: a3 starts
    expect(g.runs).toEqual(['a1', 'b1', 'a3']);
    await g.release(); // b1 done: nothing more for b
    await g.release(); // a3 done
    expect(g.runs).toEqual(['a1', 'b1', 'a3']);
    expect(g.open()).toBe(0);
    fire('a', 4); // idle again: runs at once
    expect(g.runs.at(-1)).toBe('a4');
  });

  it('reports a failed run and still runs the one asked for meanwhile', async () => {
    const errors: unknown[] = [];
    let calls = 0;
    let fail!: (e: Error) => void;
    const fire = coalescePerKey<[string]>(
      (k) => k,
      () => (++calls === 1 ? new Promise<void>((_, reject) => (fail = reject)) : Promise.resolve()),
      (e) => errors.push(e),
    );
    fire('a');
    fire('a');
    fail(new Error('boom'));
    await new Promise((r) => setImmediate(r));
    expect(errors).toHaveLength(1);
    expect(calls).toBe(2);
  });
});
