// A day offline: one client edits offline while another edits online; on reconnect both converge,
// nothing is lost, and the bytes exchanged are a small fraction of the full document state.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { addShape, moveShape, readShapes, relabelShape } from '../../shared/doc/annotations.ts';
import { startProxy, type TcpProxy } from '../testing/proxy.ts';
import { rng } from '../testing/random.ts';
import { startSyncTestServer, type SyncTestServer } from '../testing/sync-server.ts';
import { docUpdates, until } from '../testing/wait.ts';
import { connectSyncClient } from './client.ts';
import { sqliteUpdateStore } from '../adapters/sqlite/update-store.ts';

const BASE_SHAPES = 5000;
const EDITS = 100;

describe('a day offline', () => {
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

  it('exchanges only what each side lacks', async () => {
    const r = rng(42);
    const docName = `ann:${t.seed.images.assigned}`;
    // a large existing document, written straight into the store
    const seedDoc = new Y.Doc();
    for (let i = 0; i < BASE_SHAPES; i++) addShape(seedDoc, { id: `base${i}`, kind: 'polygon', label: 'c1', points: [i, 0, i + 5, 0, i + 5, 5, i, 7] }, { author: 'seed' });
    await sqliteUpdateStore(t.server.db).append(docName, Y.encodeStateAsUpdate(seedDoc), null);

    const offline = connectSyncClient({ url: proxy.url, docName, token: t.seed.tokens.annotator, maxBackoffTime: 100 });
    const online = connectSyncClient({ url: t.url, docName, token: t.seed.tokens.reviewer });
    try {
      await Promise.all([offline.synced(), online.synced()]);
      proxy.setOnline(false);
      const mine: string[] = [];
      const theirs: string[] = [];
      for (let i = 0; i < EDITS; i++) {
        // offline: new shapes and moves/relabels of existing ones; online: the same, concurrently
        const id = `off${i}`;
        mine.push(id);
        addShape(offline.doc, { id, kind: 'box', label: 'c2', points: [i, i, 10, 10] }, { author: t.seed.users.annotator.id });
        moveShape(offline.doc, `base${r.int(0, BASE_SHAPES - 1)}`, [1, 1, 2, 1, 2, 2], { author: t.seed.users.annotator.id });
        const oid = `on${i}`;
        theirs.push(oid);
        addShape(online.doc, { id: oid, kind: 'point', label: 'c3', points: [i, i] }, { author: t.seed.users.reviewer.id });
        relabelShape(online.doc, `base${r.int(0, BASE_SHAPES - 1)}`, 'c4', { author: t.seed.users.reviewer.id });
      }
      const server = t.sync.core.doc(docName)!;
      await until(() => theirs.every((id) => server.getMap('shapes').has(id)), [docUpdates(server)], 5000, 'online edits on the server');

      proxy.resetBytes();
      proxy.setOnline(true);
      const sv = (d: Y.Doc) => Buffer.from(Y.encodeStateVector(d)).toString('hex');
      await until(() => sv(offline.doc) === sv(server) && sv(online.doc) === sv(server), [docUpdates(offline.doc, online.doc, server)], 10_000, 'convergence');

      const ids = new Set(readShapes(server).shapes.map((s) => s.id));
      expect([...mine, ...theirs].filter((id) => !ids.has(id))).toEqual([]);
      expect(readShapes(offline.doc)).toEqual(readShapes(online.doc));
      const full = Y.encodeStateAsUpdate(server).byteLength;
      const exchanged = proxy.bytes.up + proxy.bytes.down;
      console.log(`offline: full state ${full} B, exchanged on reconnect ${exchanged} B (${((100 * exchanged) / full).toFixed(1)}%): up ${proxy.bytes.up}, down ${proxy.bytes.down}`);
      expect(exchanged).toBeLessThan(full * 0.1);
    } finally {
      offline.destroy();
      online.destroy();
    }
  });
});
