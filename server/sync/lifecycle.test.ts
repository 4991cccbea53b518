// Compaction on the way out of memory: a room loaded from a compacted row credits the rows written
// since from its own tally (the store is handed it, no second decode), with the same provenance the
// fold of the log gives; once the log is not the state the room snapshotted, the fold is used again.
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { addShape, moveShape } from '../../shared/doc/annotations.ts';
import { MIGRATIONS, migrateDoc } from '../../shared/doc/migrations.ts';
import { foldProvenance } from '../../shared/doc/provenance.ts';
import { memoryUpdateStore } from '../adapters/memory/update-store.ts';
import type { HeldState } from '../ports/update-store.ts';
import { createSyncCore } from './core.ts';

const DOC = 'ann:img1';
const box = (id: string) => ({ id, kind: 'box' as const, label: 'car', points: [0, 0, 10, 10] });

function setup() {
  const store = memoryUpdateStore();
  const held: Array<HeldState | undefined> = [];
  const compact = store.compact;
  store.compact = (d, current) => (held.push(current), compact(d, current));
  const core = createSyncCore({ store, log: () => {} });
  return { store, core, held };
}

describe('compaction on unload', () => {
  it('credits the rows after the compacted one from the room tally, as the fold of the log does', async () => {
    const { store, core, held } = setup();
    // a compacted document: alice's box
    const seed = new Y.Doc();
    seed.on('update', (u: Uint8Array) => void store.append(DOC, u, 'alice'));
    addShape(seed, box('a'), { author: 'alice' });
    migrateDoc(seed, MIGRATIONS.ann); // at the current schema: served as stored
    await store.compact(DOC);
    held.length = 0;

    await core.change(DOC, 'bob', (d) => addShape(d, box('b'), { author: 'alice' }));
    await core.change(DOC, 'carol', (d) => moveShape(d, 'a', [1, 1, 4, 4], { author: 'alice' }));
    const log = await store.loadRows(DOC);
    expect(log).toHaveLength(3);
    expect(core.unloadIdle(true)).toBe(1);
    await core.flush();
    expect(held[0]?.provenance).toBeDefined(); // the tally, not a fold
    const [row] = store.rows.get(DOC)!;
    expect(row.provenance).toEqual(foldProvenance(log));
    expect(row.provenance).toEqual({ a: { createdBy: 'alice', changedBy: 'carol' }, b: { createdBy: 'bob', changedBy: 'bob' } });
  });

  it('folds the log when the room was loaded from several rows, and uses its tally after that compaction', async () => {
    const { store, core, held } = setup();
    const seed = new Y.Doc();
    seed.on('update', (u: Uint8Array) => void store.append(DOC, u, 'alice'));
    addShape(seed, box('a'), { author: 'alice' });
    addShape(seed, box('b'), { author: 'alice' });
    await core.change(DOC, 'bob', (d) => moveShape(d, 'b', [2, 2, 3, 3], { author: 'bob' }));
    await core.compact(DOC);
    expect(held.at(-1)?.provenance).toBeUndefined(); // loaded from a log of several rows: not known
    await core.change(DOC, 'carol', (d) => moveShape(d, 'a', [2, 2, 3, 3], { author: 'carol' }));
    const log = await store.loadRows(DOC);
    await core.compact(DOC);
    expect(held.at(-1)?.provenance).toBeDefined();
    expect(store.rows.get(DOC)![0].provenance).toEqual(foldProvenance(log));
    expect(store.rows.get(DOC)![0].provenance).toEqual({ a: { createdBy: 'alice', changedBy: 'carol' }, b: { createdBy: 'alice', changedBy: 'bob' } });
  });
});
