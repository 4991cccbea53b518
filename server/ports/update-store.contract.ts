// The contract every UpdateStore adapter passes (SQLite, memory; later PostgreSQL). Each check is
// a plain async function, so a test can also run them against a broken store and see them fail:
// `updateStoreContract(make)` registers them as vitest tests.
import { expect, it } from 'vitest';
import * as Y from 'yjs';
import { addShape, readShapes } from '../../shared/doc/annotations.ts';
import { applyLog } from '../../shared/doc/log.ts';
import { foldProvenance } from '../../shared/doc/provenance.ts';
import type { UpdateStore } from './update-store.ts';

/** Makes a store (document names are unique per check, so stores may share a database). */
export type MakeUpdateStore = () => UpdateStore | Promise<UpdateStore>;

let unique = 0;
const name = (what: string) => `ann:contract${++unique}${what}`;

/** Updates that each add one shape, as a client's edits produce them. */
function edits(n: number, doc = new Y.Doc()): { doc: Y.Doc; updates: Uint8Array[] } {
  const updates: Uint8Array[] = [];
  const on = (u: Uint8Array) => updates.push(u);
  doc.on('update', on);
  for (let i = 0; i < n; i++) addShape(doc, { id: `s${++unique}`, kind: 'point', label: 'c', points: [i, i] }, { author: 'u' });
  doc.off('update', on);
  return { doc, updates };
}

export const updateStoreChecks: Record<string, (make: MakeUpdateStore) => Promise<void>> = {
  async 'appends and loads in order, per document'(make) {
    const s = await make();
    const [a, b, none] = [name('a'), name('b'), name('none')];
    const { updates } = edits(20);
    for (const [i, u] of updates.entries()) await s.append(a, u, i % 2 ? 'u1' : null);
    await s.append(b, updates[0], 'u2');
    expect(await s.count(a)).toBe(20);
    expect(await s.load(a)).toEqual(updates);
    expect(await s.load(b)).toEqual([updates[0]]);
    expect(await s.load(none)).toEqual([]);
    expect(await s.count(none)).toBe(0);
    expect(await s.snapshot(a)).toBeNull(); // not compacted
    expect(await s.snapshot(none)).toBeNull();
  },

  async 'appendMany writes a group across documents, each in arrival order'(make) {
    const s = await make();
    const [a, b] = [name('ga'), name('gb')];
    const ea = edits(6).updates;
    const eb = edits(4).updates;
    // interleaved, the way several connections' updates arrive
    const group = ea.flatMap((u, i) => [{ docName: a, update: u, userId: 'ua' }, ...(eb[i] ? [{ docName: b, update: eb[i], userId: 'ub' }] : [])]);
    await s.appendMany(group.slice(0, 5));
    await s.appendMany([]);
    await s.appendMany(group.slice(5));
    expect(await s.load(a)).toEqual(ea);
    expect(await s.load(b)).toEqual(eb);
  },

  async 'appends issued without waiting keep their order'(make) {
    const s = await make();
    const a = name('burst');
    const { updates } = edits(30);
    await Promise.all(updates.map((u, i) => (i % 3 ? s.append(a, u, 'u') : s.appendMany([{ docName: a, update: u, userId: 'u' }]))));
    expect(await s.load(a)).toEqual(updates);
  },

  async 'keeps its own copy of the bytes'(make) {
    const s = await make();
    const a = name('copy');
    const { updates } = edits(1);
    const mine = updates[0].slice();
    await s.append(a, mine, 'u');
    mine.fill(0);
    expect(await s.load(a)).toEqual(updates);
  },

  async 'compacts a log into one row with the same content'(make) {
    const s = await make();
    const a = name('c');
    const { doc, updates } = edits(50);
    for (const u of updates) await s.append(a, u, 'u');
    const r = await s.compact(a);
    expect(r).toMatchObject({ rowsBefore: 50, rowsAfter: 1 });
    expect(r.bytesAfter).toBeLessThan(r.bytesBefore);
    const loaded = new Y.Doc();
    applyLog(loaded, await s.load(a));
    expect(readShapes(loaded)).toEqual(readShapes(doc));
    expect(Y.encodeStateVector(loaded)).toEqual(Y.encodeStateVector(doc));
    const snap = (await s.snapshot(a))!;
    expect(snap.state).toEqual((await s.load(a))[0]);
    expect(snap.stateVector).toEqual(Y.encodeStateVector(doc));
    expect(snap.schemaVersion).toBe(0);
    await s.append(a, Y.encodeStateAsUpdate(new Y.Doc()), 'u');
    expect(await s.snapshot(a)).toBeNull(); // a log that grew past its compacted row is no snapshot
    await s.compact(a);
    expect(await s.compact(a)).toMatchObject({ rowsBefore: 1, rowsAfter: 1 });
    expect(await s.compact(name('empty'))).toMatchObject({ rowsBefore: 0, rowsAfter: 0 });
  },

  async 'compacts from the state the caller holds when it was built from the whole log, and re-encodes otherwise'(make) {
    const s = await make();
    const a = name('held');
    const { doc, updates } = edits(5);
    for (const u of updates) await s.append(a, u, 'u');
    const held = { state: Y.encodeStateAsUpdate(doc), stateVector: Y.encodeStateVector(doc), schemaVersion: 7, rows: 5 };
    await s.compact(a, held);
    expect((await s.snapshot(a))?.schemaVersion).toBe(7); // written as given
    const late = edits(1, doc).updates[0];
    await s.append(a, late, 'u');
    // The caller's state misses a row the log has: the store re-encodes the log instead.
    await s.compact(a, { ...held, rows: 1 });
    const loaded = new Y.Doc();
    applyLog(loaded, await s.load(a));
    expect(readShapes(loaded).shapes).toHaveLength(6);
    expect((await s.snapshot(a))?.schemaVersion).toBe(0);
  },

  async 'loads rows with their senders, and a compacted row carries the shape provenance they gave'(make) {
    const s = await make();
    const a = name('prov');
    const { doc, updates } = edits(4); // every shape claims author 'u'
    const senders = ['alice', 'bob', null, 'alice'];
    for (const [i, u] of updates.entries()) await s.append(a, u, senders[i]);
    expect((await s.loadRows(a)).map((r) => [r.userId, r.provenance ?? null])).toEqual(senders.map((u) => [u, null]));
    const ids = [...doc.getMap('shapes').keys()]; // a local map keeps insertion order: the order of `senders`
    const expected = Object.fromEntries(ids.map((id, i) => [id, { createdBy: senders[i], changedBy: senders[i] }]));
    await s.compact(a);
    const [row] = await s.loadRows(a);
    expect(row.userId).toBeNull();
    expect(row.provenance).toEqual(expected);
    // a later edit and a second compaction keep what the first one carried
    const late = edits(1, doc).updates[0];
    await s.append(a, late, 'carol');
    await s.compact(a);
    const after = await s.loadRows(a);
    expect(after).toHaveLength(1);
    expect(foldProvenance(after)).toEqual({ ...expected, [[...doc.getMap('shapes').keys()].find((k) => !ids.includes(k))!]: { createdBy: 'carol', changedBy: 'carol' } });
    // documents without shapes carry none
    const c = `cmt:${a.slice(4)}`;
    for (const u of updates) await s.append(c, u, 'alice');
    await s.compact(c);
    expect((await s.loadRows(c))[0].provenance ?? null).toBeNull();
  },
};

/** Registers the contract as vitest tests for one adapter. */
export function updateStoreContract(make: MakeUpdateStore): void {
  for (const [title, check] of Object.entries(updateStoreChecks)) it(title, () => check(make));
}
