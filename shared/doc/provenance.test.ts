// The provenance fold credits shapes to the senders of the updates that touched them, never to the
// shapes' `author` claim, and carries through compacted rows.
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { addShape, deleteShape, moveShape, relabelShape, shapesMap } from './annotations.ts';
import { foldProvenance, provenanceAt, type ProvenanceRow } from './provenance.ts';

/** Two peers on one document: `edit(user, fn)` runs fn on user's replica and logs the update with user as sender. */
function log() {
  const rows: ProvenanceRow[] = [];
  const replicas = new Map<string, Y.Doc>();
  const edit = (user: string | null, fn: (doc: Y.Doc) => void) => {
    const doc = replicas.get(String(user)) ?? new Y.Doc();
    replicas.set(String(user), doc);
    for (const r of rows) Y.applyUpdate(doc, r.update);
    const before = Y.encodeStateVector(doc);
    fn(doc);
    rows.push({ update: Y.encodeStateAsUpdate(doc, before), userId: user });
  };
  return { rows, edit };
}

const box = (id: string) => ({ id, kind: 'box' as const, label: 'car', points: [0, 0, 10, 10] });

describe('foldProvenance', () => {
  it('names the sender as creator and last changer, whatever author the shape claims', () => {
    const { rows, edit } = log();
    edit('alice', (d) => addShape(d, box('a'), { author: 'alice' }));
    edit('bob', (d) => addShape(d, box('b'), { author: 'alice' })); // bob forges alice
    edit('bob', (d) => moveShape(d, 'a', [1, 1, 5, 5], { author: 'bob' }));
    edit('alice', (d) => relabelShape(d, 'b', 'truck', { author: 'alice' }));
    edit(null, (d) => addShape(d, box('c'), { author: 'importer' }));
    expect(foldProvenance(rows)).toEqual({
      a: { createdBy: 'alice', changedBy: 'bob' },
      b: { createdBy: 'bob', changedBy: 'alice' },
      c: { createdBy: null, changedBy: null },
    });
  });

  it('a change inside a shape map (its attrs) counts as a change; a removed shape is gone', () => {
    const { rows, edit } = log();
    edit('alice', (d) => addShape(d, { ...box('a'), attrs: { occluded: false } }, { author: 'alice' }));
    edit('alice', (d) => addShape(d, box('z'), { author: 'alice' }));
    edit('bob', (d) => ((shapesMap(d).get('a') as Y.Map<unknown>).get('attrs') as Y.Map<unknown>).set('occluded', true));
    edit('bob', (d) => deleteShape(d, 'z'));
    expect(foldProvenance(rows)).toEqual({ a: { createdBy: 'alice', changedBy: 'bob' } });
  });

  it('gives the state vector of the state it describes', () => {
    const { rows, edit } = log();
    edit('alice', (d) => addShape(d, box('a'), { author: 'alice' }));
    edit('bob', (d) => addShape(d, box('b'), { author: 'bob' }));
    const doc = new Y.Doc();
    for (const r of rows) Y.applyUpdate(doc, r.update);
    expect(provenanceAt(rows).stateVector).toEqual(Y.encodeStateVector(doc));
  });

  it('re-sending bytes already applied earns no credit', () => {
    const { rows, edit } = log();
    edit('alice', (d) => addShape(d, box('a'), { author: 'alice' }));
    rows.push({ update: rows[0].update, userId: 'mallory' });
    expect(foldProvenance(rows)).toEqual({ a: { createdBy: 'alice', changedBy: 'alice' } });
  });

  it('a compacted row carries the provenance of the rows it replaced', () => {
    const { rows, edit } = log();
    edit('alice', (d) => addShape(d, box('a'), { author: 'x' }));
    edit('bob', (d) => addShape(d, box('b'), { author: 'x' }));
    const carried = foldProvenance(rows);
    const doc = new Y.Doc();
    for (const r of rows) Y.applyUpdate(doc, r.update);
    const compacted: ProvenanceRow[] = [{ update: Y.encodeStateAsUpdate(doc), userId: null, provenance: carried }];
    // later edits append after the compacted row
    const later = new Y.Doc();
    Y.applyUpdate(later, compacted[0].update);
    const sv = Y.encodeStateVector(later);
    moveShape(later, 'a', [2, 2, 4, 4], { author: 'x' });
    compacted.push({ update: Y.encodeStateAsUpdate(later, sv), userId: 'carol' });
    expect(foldProvenance(compacted)).toEqual({
      a: { createdBy: 'alice', changedBy: 'carol' },
      b: { createdBy: 'bob', changedBy: 'bob' },
    });
  });

  it('shapes no row accounts for have no known origin', () => {
    const doc = new Y.Doc();
    addShape(doc, box('old'), { author: 'x' });
    expect(foldProvenance([{ update: Y.encodeStateAsUpdate(doc), userId: null, provenance: {} }])).toEqual({ old: { createdBy: null, changedBy: null } });
  });
});
