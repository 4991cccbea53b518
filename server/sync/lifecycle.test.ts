// Compaction on the way out of memory: a room loaded from a compacted row credits the rows written
// since from its own tally (the store is handed it, no second decode), with the same provenance the
// fold of the log gives; once the log is not the state the room snapshotted, the fold is used again.
// Many documents going idle together unload a batch per turn; an unloaded room is garbage.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { addShape, moveShape } from '../../shared/doc/annotations.ts';
import { MIGRATIONS, migrateDoc } from '../../shared/doc/migrations.ts';
import { foldProvenance } from '../../shared/doc/provenance.ts';
import { inProcessBus } from '../adapters/memory/fanout.ts';
import { memoryUpdateStore } from '../adapters/memory/update-store.ts';
import type { HeldState } from '../ports/update-store.ts';
import { createSyncCore } from './core.ts';
import { UNLOAD_BATCH } from './lifecycle.ts';

const DOC = 'ann:img1';
const box = (id: string) => ({ id, kind: 'box' as const, label: 'car', points: [0, 0, 10, 10] });

function setup() {
  const store = memoryUpdateStore();
  const held: Array<HeldState | undefined> = [];
  const compact = store.compact;
  store.compact = (d, current) => (held.push(current), compact(d, current));
  const core = createSyncCore({ store, log: () => {}, fanout: inProcessBus().node() }); // the bus main.ts wires
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

  it('credits a new document (no rows yet) from its tally from the first compaction on', async () => {
    const { store, core, held } = setup();
    await core.change(DOC, 'bob', (d) => addShape(d, box('b'), { author: 'bob' }));
    await core.change(DOC, 'carol', (d) => moveShape(d, 'b', [1, 1, 4, 4], { author: 'bob' }));
    const log = await store.loadRows(DOC);
    await core.compact(DOC);
    expect(held.at(-1)?.provenance).toBeDefined(); // the tally, not a fold of the whole log
    expect(store.rows.get(DOC)![0].provenance).toEqual(foldProvenance(log));
    expect(store.rows.get(DOC)![0].provenance).toEqual({ b: { createdBy: 'bob', changedBy: 'carol' } });
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

describe('unloading', () => {
  const nop = { send() {}, bufferedAmount: () => 0, close() {} };

  it('unloads many idle documents a batch per turn, each compacted, keeping one someone joined meanwhile', async () => {
    const { store, core } = setup();
    const n = UNLOAD_BATCH * 3 + 5;
    for (let d = 0; d < n; d++) await core.change(`ann:d${d}`, 'bob', (doc) => (addShape(doc, box('a'), { author: 'bob' }), addShape(doc, box('b'), { author: 'bob' })));
    expect(core.unloadIdle(true)).toBe(n);
    expect(core.stats().docs).toBe(n - UNLOAD_BATCH); // the first batch at once, the rest on later turns
    const late = core.connect(`ann:d${n - 1}`, { userId: 'bob', access: 'write' }, nop);
    await core.flush();
    expect(core.stats().docs).toBe(1);
    for (let d = 0; d < n - 1; d++) expect(await store.count(`ann:d${d}`)).toBe(1);
    expect(store.rows.get('ann:d0')![0].provenance).toEqual({ a: { createdBy: 'bob', changedBy: 'bob' }, b: { createdBy: 'bob', changedBy: 'bob' } });
    late.closed();
    await core.close();
  });

  it('leaves nothing of an unloaded room reachable', async () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const { core } = setup();
    // in a function of its own: the test holds no reference to the connection or the room
    const open = async () => {
      const c = core.connect(DOC, { userId: 'bob', access: 'write' }, nop);
      await c.ready;
      await core.change(DOC, 'bob', (doc) => addShape(doc, box('a'), { author: 'bob' }));
      const rooms = (core as unknown as { rooms: Map<string, object> }).rooms;
      const refs = { room: new WeakRef(rooms.get(DOC)!), doc: new WeakRef(core.doc(DOC)!) };
      c.closed();
      return refs;
    };
    const { room, doc } = await open();
    expect(core.unloadIdle(true)).toBe(1);
    await core.flush();
    await new Promise((r) => setImmediate(r)); // WeakRefs read in this job are kept until it ends
    gc();
    expect(room.deref()).toBeUndefined();
    expect(doc.deref()).toBeUndefined();
    await core.close();
  });
});
