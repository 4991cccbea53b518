// The provenance fold credits shapes to the senders of the updates that touched them, never to the
// shapes' `author` claim, and carries through compacted rows.
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { addShape, deleteShape, moveShape, relabelShape, shapesMap } from './annotations.ts';
import { compactedProvenance, foldProvenance, provenanceAt, ShapeTally, type ProvenanceRow } from './provenance.ts';
import { rng, testSeed } from '../formats/testing/test-data.ts';

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

describe('ShapeTally + compactedProvenance', () => {
  /**
   * Random histories on a server document: users' replicas edit concurrently (adds, moves,
   * relabels, attribute changes, removals, a removed id put back, a shape replaced whole), send
   * their updates late, twice, or ahead of the ones they depend on; the server applies each with
   * its sender as origin and logs what it integrated, as a room does. Every few rows it compacts:
   * the tally merged with the compacted row's provenance must equal the fold of the whole log.
   */
  it('gives what the fold of the log gives, on random concurrent histories', () => {
    const seed = testSeed(8_0701);
    const rand = rng(seed);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)];
    const users = ['alice', 'bob', 'carol', null] as const;
    for (let run = 0; run < 20; run++) {
      const server = new Y.Doc();
      let rows: ProvenanceRow[] = [];
      let sender: string | null = null;
      server.on('update', (u: Uint8Array) => rows.push({ update: u, userId: sender }));
      const tally = new ShapeTally(true, (origin) => (origin === 'remote' ? undefined : (origin as { user: string | null }).user));
      tally.attach(server);
      const fromSnapshot = () => (rows = [{ update: Y.encodeStateAsUpdate(server), userId: null, provenance: foldProvenance(rows) }]);
      fromSnapshot();
      tally.take();
      const replicas = users.map(() => new Y.Doc());
      const outbox: Array<{ user: string | null; update: Uint8Array }> = [];
      const deliver = (m: { user: string | null; update: Uint8Array }) => {
        sender = m.user;
        Y.applyUpdate(server, m.update, { user: m.user });
      };
      for (let step = 0; step < 60; step++) {
        const i = Math.floor(rand() * users.length);
        const doc = replicas[i];
        if (rand() < 0.5) Y.applyUpdate(doc, Y.encodeStateAsUpdate(server, Y.encodeStateVector(doc)), 'server');
        const before = Y.encodeStateVector(doc);
        const ids = [...shapesMap(doc).keys()];
        const id = ids.length && rand() < 0.7 ? pick(ids) : `s${Math.floor(rand() * 12)}`;
        const r = rand();
        const meta = { author: 'claimed' };
        if (r < 0.3 || !shapesMap(doc).has(id)) addShape(doc, { ...box(id), label: pick(['car', 'bus']) }, meta);
        else if (r < 0.45) moveShape(doc, id, [rand(), 0, 5, 5], meta);
        else if (r < 0.55) relabelShape(doc, id, pick(['truck', 'van']), meta);
        else if (r < 0.7) deleteShape(doc, id);
        else if (r < 0.8) addShape(doc, box(id), meta); // replaced whole while present
        else (shapesMap(doc).get(id) as Y.Map<unknown>).set('note', rand());
        const update = Y.encodeStateAsUpdate(doc, before);
        const m = { user: users[i], update };
        if (rand() < 0.3) outbox.push(m); // late: sent after later ones (the server holds what lacks its dependencies)
        else deliver(m);
        if (rand() < 0.2 && outbox.length) deliver(outbox.splice(Math.floor(rand() * outbox.length), 1)[0]);
        if (rand() < 0.1 && rows.length > 1) deliver({ user: pick(users), update: pick(rows).update }); // re-sent bytes
        if (rand() < 0.15) {
          const expected = foldProvenance(rows);
          const merged = compactedProvenance(rows, tally.take());
          if (JSON.stringify(merged) !== JSON.stringify(expected)) throw new Error(`seed ${seed}, run ${run}, step ${step}: ${JSON.stringify(merged)} ≠ ${JSON.stringify(expected)}`);
          rows = [{ update: Y.encodeStateAsUpdate(server), userId: null, provenance: merged }];
        }
      }
      for (const m of outbox) deliver(m);
      expect(compactedProvenance(rows, tally.take()), `seed ${seed}, run ${run}`).toEqual(foldProvenance(rows));
    }
  });

  it('is not used once an update it cannot credit arrived, and survives the document being detached', () => {
    const server = new Y.Doc();
    const tally = new ShapeTally(true, (origin) => (origin === 'remote' ? undefined : (origin as string)));
    tally.attach(server);
    addShape(server, box('a'), { author: 'x', origin: 'alice' });
    tally.detach(); // hibernating: no Y.Doc, the shapes present are remembered
    expect([...tally.take()!.present]).toEqual(['a']);
    tally.attach(server);
    addShape(server, box('b'), { author: 'x', origin: 'remote' });
    expect(tally.take()).toBeUndefined();
    expect(new ShapeTally(false, () => null).take()).toBeUndefined();
  });
});
