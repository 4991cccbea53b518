import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { deleteOnlyUpdate } from '../../testing/updates.ts';
import { checkPlacement } from './placement.ts';

/** Updates of a doc, one per transaction. */
function recorder(clientID: number) {
  const doc = new Y.Doc();
  doc.clientID = clientID;
  const updates: Uint8Array[] = [];
  doc.on('update', (u: Uint8Array) => updates.push(u));
  return { doc, updates };
}
const stateOf = (doc: Y.Doc) => (c: number) => Y.getState(doc.store, c);

describe('checkPlacement', () => {
  it('places an update that builds on the document, or on earlier structs of the same update', () => {
    const a = recorder(1);
    a.doc.getArray('x').push([1, 2]);
    const server = new Y.Doc();
    expect(checkPlacement(Y.decodeUpdate(a.updates[0]), stateOf(server))).toEqual({ ok: true });
    Y.applyUpdate(server, a.updates[0]);
    a.doc.getArray('x').insert(1, ['mid']);
    a.doc.getArray('x').delete(0, 1);
    for (const u of a.updates.slice(1)) expect(checkPlacement(Y.decodeUpdate(u), stateOf(server))).toEqual({ ok: true });
  });

  it('places interleaved dependencies between two clients within one update', () => {
    // c1 ← d1, d2 ← c2: a merged update of both clients, neither of which fits alone first.
    const c = recorder(10);
    const d = recorder(20);
    const sync = (from: Y.Doc, to: Y.Doc) => Y.applyUpdate(to, Y.encodeStateAsUpdate(from, Y.encodeStateVector(to)));
    c.doc.getArray('x').push(['c1']);
    sync(c.doc, d.doc);
    d.doc.getArray('x').push(['d1']);
    sync(d.doc, c.doc);
    c.doc.getArray('x').push(['c2']);
    sync(c.doc, d.doc);
    d.doc.getArray('x').push(['d2']);
    sync(d.doc, c.doc);
    const all = Y.encodeStateAsUpdate(d.doc);
    expect(checkPlacement(Y.decodeUpdate(all), stateOf(new Y.Doc()))).toEqual({ ok: true });
    const fresh = new Y.Doc();
    Y.applyUpdate(fresh, all);
    expect(fresh.store.pendingStructs).toBeNull();
  });

  it('refuses an update that builds on content the document lacks, or continues past a gap', () => {
    const a = recorder(1);
    a.doc.getArray('x').push([1]);
    a.doc.getArray('x').push([2]);
    const second = Y.decodeUpdate(a.updates[1]);
    expect(checkPlacement(second, stateOf(new Y.Doc()))).toMatchObject({ ok: false, message: expect.stringContaining('continues at clock 1') });
    const b = recorder(2);
    Y.applyUpdate(b.doc, a.updates[0]);
    b.doc.getArray('x').push([3]); // origin: a's item
    expect(checkPlacement(Y.decodeUpdate(b.updates.at(-1)!), stateOf(new Y.Doc()))).toMatchObject({ ok: false, message: expect.stringContaining('client 1') });
  });

  it('refuses deletions of clocks the document does not have', () => {
    const a = recorder(1);
    a.doc.getArray('x').push([1, 2, 3]);
    const server = new Y.Doc();
    Y.applyUpdate(server, a.updates[0]);
    expect(checkPlacement(Y.decodeUpdate(deleteOnlyUpdate([[1, 1, 10]])), stateOf(server))).toMatchObject({ ok: false, message: expect.stringContaining('deletes clocks 1–10') });
    expect(checkPlacement(Y.decodeUpdate(deleteOnlyUpdate([[7, 0, 1]])), stateOf(server))).toMatchObject({ ok: false });
    expect(checkPlacement(Y.decodeUpdate(deleteOnlyUpdate([[1, 0, 3]])), stateOf(server))).toEqual({ ok: true });
  });
});
