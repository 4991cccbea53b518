import { afterAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { addShape, readShapes } from '../../shared/doc/annotations.ts';
import { tempDb } from '../testing/fixtures.ts';
import { applyLog, memoryStore, sqliteStore, type UpdateStore } from './store.ts';

const t = tempDb();
afterAll(() => t.cleanup());

const stores: Array<[string, () => UpdateStore]> = [
  ['sqlite', () => sqliteStore(t.db)],
  ['memory', () => memoryStore()],
];

describe.each(stores)('%s update store (contract)', (kind, make) => {
  it('appends and loads in order, per document', () => {
    const s = make();
    const doc = new Y.Doc();
    const updates: Uint8Array[] = [];
    doc.on('update', (u: Uint8Array) => updates.push(u));
    for (let i = 0; i < 20; i++) addShape(doc, { id: `s${i}`, kind: 'point', label: 'c', points: [i, i] }, { author: 'u' });
    updates.forEach((u, i) => s.append(`ann:${kind}1`, u, i % 2 ? 'u1' : null));
    s.append(`ann:${kind}2`, updates[0], 'u2');
    expect(s.count(`ann:${kind}1`)).toBe(20);
    expect(s.load(`ann:${kind}1`)).toEqual(updates);
    expect(s.load(`ann:${kind}2`)).toEqual([updates[0]]);
    expect(s.load(`ann:${kind}none`)).toEqual([]);
    expect(s.snapshot(`ann:${kind}1`)).toBeNull(); // not compacted
    expect(s.snapshot(`ann:${kind}none`)).toBeNull();
  });

  it('compacts a log into one row with the same content', () => {
    const s = make();
    const name = `ann:${kind}c`;
    const doc = new Y.Doc();
    doc.on('update', (u: Uint8Array) => s.append(name, u, 'u'));
    for (let i = 0; i < 50; i++) addShape(doc, { id: `s${i}`, kind: 'point', label: 'c', points: [i, i] }, { author: 'u' });
    const r = s.compact(name);
    expect(r).toMatchObject({ rowsBefore: 50, rowsAfter: 1 });
    expect(r.bytesAfter).toBeLessThan(r.bytesBefore);
    const loaded = new Y.Doc();
    applyLog(loaded, s.load(name));
    expect(readShapes(loaded)).toEqual(readShapes(doc));
    expect(Y.encodeStateVector(loaded)).toEqual(Y.encodeStateVector(doc));
    const snap = s.snapshot(name)!;
    expect(snap.state).toEqual(s.load(name)[0]);
    expect(snap.stateVector).toEqual(Y.encodeStateVector(doc));
    expect(snap.schemaVersion).toBe(0);
    s.append(name, Y.encodeStateAsUpdate(new Y.Doc()), 'u');
    expect(s.snapshot(name)).toBeNull(); // a log that grew past its compacted row is no snapshot
    s.compact(name);
    expect(s.compact(name)).toMatchObject({ rowsBefore: 1, rowsAfter: 1 });
    expect(s.compact(`ann:${kind}empty`)).toMatchObject({ rowsBefore: 0, rowsAfter: 0 });
  });

  it('compacts from the state the caller holds when it was built from the whole log, and re-encodes otherwise', () => {
    const s = make();
    const name = `ann:${kind}held`;
    const doc = new Y.Doc();
    doc.on('update', (u: Uint8Array) => s.append(name, u, 'u'));
    for (let i = 0; i < 5; i++) addShape(doc, { id: `s${i}`, kind: 'point', label: 'c', points: [i, i] }, { author: 'u' });
    const held = { state: Y.encodeStateAsUpdate(doc), stateVector: Y.encodeStateVector(doc), schemaVersion: 7, rows: 5 };
    s.compact(name, held);
    expect(s.snapshot(name)?.schemaVersion).toBe(7); // written as given
    addShape(doc, { id: 'late', kind: 'point', label: 'c', points: [0, 0] }, { author: 'u' });
    // The caller's state misses a row the log has: the store re-encodes the log instead.
    s.compact(name, { ...held, rows: 1 });
    const loaded = new Y.Doc();
    applyLog(loaded, s.load(name));
    expect(readShapes(loaded).shapes.map((x) => x.id)).toContain('late');
    expect(s.snapshot(name)?.schemaVersion).toBe(0);
  });
});
