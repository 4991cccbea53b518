// Convergence through a flaky network: five real y-websocket clients on three documents make
// seeded random edits while a TCP proxy cuts, stalls and resumes their links; after the network
// heals, every client, the server and a fresh client hold the same state.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { addShape, deleteShape, moveShape, readShapes, relabelShape } from '../../shared/doc/annotations.ts';
import { openThread, postMessage, readThreads, resolveThread } from '../../shared/doc/comments.ts';
import type { SHAPE_KINDS } from '../../shared/doc/schema.ts';
import { startProxy, type TcpProxy } from '../testing/proxy.ts';
import { rng, testSeed, type Rng } from '../testing/random.ts';
import { startSyncTestServer, type SyncTestServer } from '../testing/sync-server.ts';
import { docUpdates, until } from '../testing/wait.ts';
import { connectSyncClient, fetchDoc, type SyncClient } from './client.ts';
import { applyLog } from '../../shared/doc/log.ts';
import { sqliteUpdateStore } from '../adapters/sqlite/update-store.ts';

const SEED = testSeed(7331);
const STEPS = 400;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function geometry(r: Rng, kind: keyof typeof SHAPE_KINDS): number[] {
  const c = () => r.int(0, 6400) / 10;
  switch (kind) {
    case 'box':
      return [c(), c(), c(), c()];
    case 'point':
      return [c(), c()];
    case 'polyline':
      return [c(), c(), c(), c()];
    case 'polygon':
      return [c(), c(), c(), c(), c(), c()];
  }
}

function edit(r: Rng, c: SyncClient, kind: 'ann' | 'cmt', who: string, n: number, author: string) {
  const meta = { author };
  if (kind === 'cmt') {
    const threads = readThreads(c.doc).threads;
    const op = threads.length === 0 ? 0 : r.int(0, 2);
    if (op === 0) openThread(c.doc, { id: `${who}-t${n}`, anchor: r.chance(0.5) ? { shapeId: `s${n}` } : { x: 1, y: 2 }, text: `q${n}` }, meta);
    else if (op === 1) postMessage(c.doc, r.pick(threads).id, `m${n}`, meta);
    else resolveThread(c.doc, r.pick(threads).id, r.chance(0.5));
    return;
  }
  const shapes = readShapes(c.doc).shapes;
  const op = shapes.length < 3 ? 0 : r.int(0, 3);
  const kinds = ['box', 'point', 'polyline', 'polygon'] as const;
  if (op === 0) {
    const k = r.pick(kinds);
    addShape(c.doc, { id: `${who}-s${n}`, kind: k, label: `c${r.int(1, 5)}`, points: geometry(r, k) }, meta);
  } else if (op === 1) {
    const s = r.pick(shapes);
    moveShape(c.doc, s.id, geometry(r, s.kind), meta);
  } else if (op === 2) relabelShape(c.doc, r.pick(shapes).id, `c${r.int(1, 5)}`, meta);
  else deleteShape(c.doc, r.pick(shapes).id);
}

describe('flaky network', () => {
  let t: SyncTestServer;
  let proxy: TcpProxy;
  beforeAll(async () => {
    t = await startSyncTestServer();
    proxy = await startProxy(t.server.port);
  });
  afterAll(async () => {
    await proxy.close();
    await t.close();
  });

  it(`converges after seeded edits under cuts and stalls (seed ${SEED})`, async () => {
    process.setMaxListeners(64); // each y-websocket provider adds a process 'exit' listener
    const r = rng(SEED);
    const { images, tokens, users } = t.seed;
    const docs = [`ann:${images.assigned}`, `ann:${images.free}`, `cmt:${images.assigned}`];
    // five devices; the annotator cannot see the unassigned image
    const devices = [
      { name: 'mgr1', token: tokens.manager, user: users.manager.id, docs },
      { name: 'rev1', token: tokens.reviewer, user: users.reviewer.id, docs },
      { name: 'mgr2', token: tokens.manager, user: users.manager.id, docs },
      { name: 'rev2', token: tokens.reviewer, user: users.reviewer.id, docs },
      { name: 'ann1', token: tokens.annotator, user: users.annotator.id, docs: [docs[0], docs[2]] },
    ];
    const clients = devices.flatMap((d) =>
      d.docs.map((docName) => ({
        device: d,
        docName,
        kind: docName.slice(0, 3) as 'ann' | 'cmt',
        c: connectSyncClient({ url: proxy.url, docName, token: d.token, maxBackoffTime: 150 }),
      })),
    );
    try {
      await Promise.all(clients.map((x) => x.c.synced()));
      let cuts = 0;
      let stalls = 0;
      for (let step = 0; step < STEPS; step++) {
        const x = r.pick(clients);
        edit(r, x.c, x.kind, x.device.name, step, x.device.user);
        if (r.chance(0.2)) {
          const links = proxy.links();
          if (links.length) {
            const l = r.pick(links);
            const a = r.int(0, 2);
            if (a === 0) (l.cut(), cuts++);
            else if (a === 1) (l.stall(), stalls++);
            else l.resume();
          }
        }
        if (r.chance(0.3)) await sleep(r.int(0, 8));
      }
      // heal: resume every stalled link and let the clients reconnect
      for (const l of proxy.links()) l.resume();
      const serverDoc = (name: string) => t.sync.core.doc(name);
      // Compare snapshots (state vector AND delete set): a deletion alone leaves the state vector as it was.
      const converged = () =>
        docs.every((name) => {
          const server = serverDoc(name);
          if (!server) return false;
          const s = Y.snapshot(server);
          return clients.filter((x) => x.docName === name).every((x) => Y.equalSnapshots(Y.snapshot(x.c.doc), s));
        });
      await until(converged, [docUpdates(...clients.map((x) => x.c.doc)), (re) => {
        // resume links that reconnecting clients opened while a stall was pending
        const iv = setInterval(() => (proxy.links().forEach((l) => l.stalled && l.resume()), re()), 50);
        return () => clearInterval(iv);
      }], 20_000, () => `convergence (seed ${SEED})`);
      for (const name of docs) {
        const server = serverDoc(name)!;
        const fresh = await fetchDoc({ url: t.url, docName: name, token: tokens.manager });
        const read = (d: Y.Doc) => JSON.stringify(name.startsWith('ann') ? readShapes(d) : readThreads(d));
        for (const x of clients.filter((y) => y.docName === name)) expect(read(x.c.doc)).toBe(read(server));
        expect(read(fresh)).toBe(read(server));
        expect(Y.encodeStateVector(fresh)).toEqual(Y.encodeStateVector(server));
        // what is durable, not just what is in memory: the log reloaded from SQLite is the same document
        const stored = new Y.Doc();
        applyLog(stored, await sqliteUpdateStore(t.server.db).load(name));
        expect(Y.equalSnapshots(Y.snapshot(stored), Y.snapshot(server)), `${name} reloaded from SQLite`).toBe(true);
        for (const x of clients.filter((y) => y.docName === name)) expect(Y.equalSnapshots(Y.snapshot(x.c.doc), Y.snapshot(stored))).toBe(true);
        expect(read(stored)).toBe(read(server));
        stored.destroy();
      }
      expect(cuts + stalls).toBeGreaterThan(10);
      console.log(`flaky: ${STEPS} edits, ${cuts} cuts, ${stalls} stalls, seed ${SEED}`);
    } catch (e) {
      console.error(`flaky network test failed with seed ${SEED} (rerun with TEST_SEED=${SEED})`);
      throw e;
    } finally {
      clients.forEach((x) => x.c.destroy());
    }
  });
});
