// The WAL checkpointer: the connection's automatic checkpoint is off while the worker runs, the
// worker's passive checkpoints copy the commits back (so the WAL restarts instead of growing), and
// stopping it gives the connection its automatic checkpoint back.
import { afterEach, describe, expect, it } from 'vitest';
import { tempDb } from '../../testing/fixtures.ts';
import { startCheckpointer, type CheckpointResult } from './checkpointer.ts';
import { sqliteUpdateStore } from './update-store.ts';
import { openDb } from './open.ts';

const cleanups: Array<() => void | Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const autoPages = (db: ReturnType<typeof openDb>) => db.$client.pragma('wal_autocheckpoint', { simple: true });

describe('startCheckpointer', () => {
  it('checkpoints from a worker with the automatic checkpoint off, and gives it back when stopped', async () => {
    const t = tempDb();
    cleanups.push(t.cleanup, () => void t.db.$client.close());
    const store = sqliteUpdateStore(t.db);
    const cp = startCheckpointer(t.db, { intervalMs: 20 })!;
    cleanups.push(() => cp.stop());
    expect(autoPages(t.db)).toBe(0);
    const rows = (n: number) => Array.from({ length: n }, (_, i) => ({ docName: 'ann:x', update: new Uint8Array(200).fill(i), userId: 'u' }));
    let written = 0;
    let copied = 0;
    let last: CheckpointResult | null = null;
    // write, let a checkpoint run, write again: the commits are copied back and the WAL starts over
    for (let round = 0; round < 20 && (copied === 0 || round < 5); round++) {
      await store.appendMany(rows(300));
      written++;
      last = await cp.next();
      copied += last.checkpointed;
    }
    expect(copied).toBeGreaterThan(0);
    expect(await store.count('ann:x')).toBe(written * 300);
    await cp.stop();
    expect(autoPages(t.db)).toBe(1000);
    await expect(cp.next()).rejects.toThrow(/stopped/);
  });

  it('sleeps once nothing is left to copy, and the next commit wakes it', async () => {
    const t = tempDb();
    cleanups.push(t.cleanup, () => void t.db.$client.close());
    const store = sqliteUpdateStore(t.db);
    let changed: (awake: boolean) => void = () => {};
    const state = (want: boolean) => new Promise<void>((r) => (changed = (awake) => awake === want && r()));
    const asleep = state(false);
    const cp = startCheckpointer(t.db, { intervalMs: 20, idleMs: 60, onState: (a) => changed(a) })!;
    cleanups.push(() => cp.stop());
    const row = (i: number) => ({ docName: 'ann:x', update: new Uint8Array(200).fill(i), userId: 'u' });
    await store.appendMany([row(1), row(2)]);
    await asleep;
    expect(cp.awake()).toBe(false);
    expect(autoPages(t.db)).toBe(0); // still off while it sleeps
    const woke = state(true);
    await store.appendMany([row(3)]);
    await woke;
    // the woken worker copies the new commit back
    let r = await cp.next();
    while (r.checkpointed < r.log || r.log === 0) r = await cp.next();
    expect(r.checkpointed).toBeGreaterThan(0);
    expect(await store.count('ann:x')).toBe(3);
    // stopped while asleep: the automatic checkpoint is back
    const again = state(false);
    await again;
    await cp.stop();
    expect(autoPages(t.db)).toBe(1000);
  });

  it('is not started for an in-memory database', () => {
    const db = openDb({ file: ':memory:' });
    cleanups.push(() => void db.$client.close());
    expect(startCheckpointer(db)).toBeNull();
  });
});
