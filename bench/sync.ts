// `npm run bench:sync`: relay latency (one pair; 100 clients on 20 documents at 1,000 updates/s)
// beside a raw WebSocket echo through the same server process; durable write rate beside a raw
// better-sqlite3 insert loop; cold load of a 10,000-shape document before/after compaction; RSS
// with 1,000 documents of 100 shapes open and after idle unload. Last line: one JSON object.
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { WebSocket, WebSocketServer } from 'ws';
import * as Y from 'yjs';
import { addShape, moveShape, observeShapes, readShape } from '../shared/doc/annotations.ts';
import { startServer } from '../server/main.ts';
import type { UpgradeHandler } from '../server/main.ts';
import { connectSyncClient, type SyncClient } from '../server/sync/client.ts';
import { sqliteStore } from '../server/sync/store.ts';
import { createSyncServer, type SyncServer } from '../server/sync/ws.ts';
import { blobs, images } from '../server/db/schema.ts';
import { sha256Hex } from '../server/services/ids.ts';
import { seedProject, tempDir } from '../server/testing/fixtures.ts';
import { docUpdates, every, until } from '../server/testing/wait.ts';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
process.setMaxListeners(1000); // y-websocket adds a process 'exit' listener per provider

const ms = (n: number) => Math.round(n * 1000) / 1000;
function pct(samples: number[], p: number) {
  const s = samples.slice().sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
}
const rssMb = () => Math.round(process.memoryUsage().rss / 1e5) / 10;
const line = (s: string) => console.log(s);

/** A raw WebSocket echo on /bench/echo, served by the same HTTP server as sync. */
function echoHandler(): UpgradeHandler {
  const wss = new WebSocketServer({ noServer: true });
  return {
    handleUpgrade(req, socket, head) {
      if (!req.url?.startsWith('/bench/echo')) return false;
      wss.handleUpgrade(req, socket, head, (ws) => ws.on('message', (d, bin) => ws.send(d, { binary: bin })));
      return true;
    },
    async close() {
      for (const c of wss.clients) c.terminate();
      await new Promise<void>((r) => wss.close(() => r()));
    },
  };
}

async function echoLatency(url: string, n: number): Promise<number[]> {
  const ws = new WebSocket(url.replace(/^http/, 'ws') + '/bench/echo');
  await new Promise((r) => ws.once('open', r));
  const out: number[] = [];
  const payload = new Uint8Array(64);
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    await new Promise<void>((r) => {
      ws.once('message', () => r());
      ws.send(payload);
    });
    out.push(performance.now() - t0);
  }
  ws.close();
  return out;
}

const sleep = (t: number) => new Promise((r) => setTimeout(r, t));

async function main() {
  const dir = tempDir('tessera-bench-');
  let sync!: SyncServer;
  let durable = 0;
  const server = await startServer(
    { port: 0, dataDir: dir.dir, clientDir: null },
    { upgrades: ({ db }) => [(sync = createSyncServer({ db, log: () => {}, idleUnloadMs: 3_600_000, onUpdate: () => durable++ })), echoHandler()] },
  );
  const seed = seedProject(server.db);
  const db = server.db;
  const store = sqliteStore(db);
  const core = sync.core;
  const results: Record<string, unknown> = { bench: 'sync' };

  // --- raw echo baseline ---
  await echoLatency(server.url, 500); // warm-up
  const echo = await echoLatency(server.url, 5000);
  line(`raw ws echo (same server process): p50 ${ms(pct(echo, 50))} ms, p99 ${ms(pct(echo, 99))} ms`);

  // --- relay latency, one pair ---
  const pairDoc = `ann:${seed.images.assigned}`;
  const a = connectSyncClient({ url: server.url, docName: pairDoc, token: seed.tokens.annotator });
  const b = connectSyncClient({ url: server.url, docName: pairDoc, token: seed.tokens.reviewer });
  await Promise.all([a.synced(), b.synced()]);
  addShape(a.doc, { id: 'p', kind: 'box', label: 'c', points: [0, 0, 1, 1] }, { author: 'a' });
  await until(() => !!readShape(b.doc, 'p'), [docUpdates(b.doc)], 5000, 'pair shape');
  const pair: number[] = [];
  for (let i = 0; i < 3000; i++) {
    const t0 = performance.now();
    const arrived = new Promise<void>((r) => b.doc.once('update', () => r()));
    moveShape(a.doc, 'p', [i, 0, 1, 1], { author: 'a' });
    await arrived;
    if (i >= 300) pair.push(performance.now() - t0);
  }
  line(`relay A→server→B, one pair: p50 ${ms(pct(pair, 50))} ms, p99 ${ms(pct(pair, 99))} ms (${ms(pct(pair, 50) / pct(echo, 50))}× echo p50)`);

  // --- durable write rate while relaying ---
  const BURST = 20_000;
  const start = durable;
  const tb = performance.now();
  const got = new Promise<void>((r) => {
    const off = observeShapes(b.doc, () => {
      if (readShape(b.doc, 'p')!.points[0] === -1) (off(), r());
    });
  });
  for (let i = 0; i < BURST - 1; i++) moveShape(a.doc, 'p', [i, 1, 1, 1], { author: 'a' });
  moveShape(a.doc, 'p', [-1, 1, 1, 1], { author: 'a' });
  await got;
  const burstS = (performance.now() - tb) / 1000;
  const writeRate = Math.round((durable - start) / burstS);
  const raw = new Database(join(dir.dir, 'raw.db'));
  raw.pragma('journal_mode = WAL');
  raw.pragma('synchronous = NORMAL');
  raw.exec('CREATE TABLE t (id INTEGER PRIMARY KEY AUTOINCREMENT, doc_name TEXT, "update" BLOB, user_id TEXT, created_at INTEGER)');
  const ins = raw.prepare('INSERT INTO t (doc_name, "update", user_id, created_at) VALUES (?, ?, ?, ?)');
  const blob = Buffer.alloc(60, 7);
  const tr = performance.now();
  for (let i = 0; i < BURST; i++) ins.run(pairDoc, blob, 'u', Date.now());
  const rawRate = Math.round(BURST / ((performance.now() - tr) / 1000));
  raw.close();
  line(`durable writes while relaying: ${writeRate} updates/s (${durable - start} persisted, all relayed) vs raw better-sqlite3 insert loop ${rawRate} rows/s`);
  a.destroy();
  b.destroy();

  // --- 100 clients across 20 documents at 1,000 updates/s in total ---
  const DOCS_LOAD = 20;
  const PER_DOC = 5;
  const RATE = 1000;
  const SECONDS = 5;
  // extra images so that every document has an access row
  const imgIds: string[] = [];
  for (let d = 0; d < DOCS_LOAD; d++) {
    const id = `benchimg${d}`;
    imgIds.push(id);
    const blobSha = sha256Hex(id);
    db.insert(blobs).values({ sha256: blobSha, size: 1, mime: 'image/png', createdAt: Date.now() }).run();
    db.insert(images).values({ id, projectId: seed.projectId, sha256: blobSha, fileName: `${id}.png`, mime: 'image/png', width: 10, height: 10, status: 'new', assigneeId: null, createdAt: Date.now(), createdBy: seed.users.manager.id }).run();
  }
  const clients: Array<{ c: SyncClient; shape: string }> = [];
  for (const img of imgIds) for (let k = 0; k < PER_DOC; k++) {
    clients.push({ c: connectSyncClient({ url: server.url, docName: `ann:${img}`, token: k % 2 ? seed.tokens.manager : seed.tokens.reviewer }), shape: `w${k}` });
  }
  await Promise.all(clients.map((x) => x.c.synced(20_000)));
  for (const x of clients) addShape(x.c.doc, { id: x.shape, kind: 'box', label: 'c', points: [0, 0, 1, 1] }, { author: 'x' });
  const load: number[] = [];
  let recording = false;
  for (const x of clients) {
    observeShapes(x.c.doc, ({ ids: changed, local }) => {
      if (local || !recording) return;
      const now = performance.now();
      for (const id of changed) {
        const s = readShape(x.c.doc, id);
        if (s && s.points[0] > 0) load.push(now - s.points[0]);
      }
    });
  }
  const expected = DOCS_LOAD * PER_DOC * (PER_DOC - 1); // per update round
  await until(() => clients.every((x) => x.c.doc.getMap('shapes').size === PER_DOC), [every(20)], 20_000, 'load shapes everywhere');
  recording = true;
  let sent = 0;
  const tl = performance.now();
  await new Promise<void>((done) => {
    let next = 0;
    const tick = () => {
      const due = Math.min(RATE * SECONDS, Math.floor(((performance.now() - tl) / 1000) * RATE));
      while (sent < due) {
        const x = clients[next++ % clients.length];
        moveShape(x.c.doc, x.shape, [performance.now(), sent, 1, 1], { author: 'x' });
        sent++;
      }
      if (sent >= RATE * SECONDS) return done();
      setTimeout(tick, 1);
    };
    tick();
  });
  const achieved = Math.round(sent / ((performance.now() - tl) / 1000));
  await until(() => load.length >= sent * (PER_DOC - 1) * 0.999, [every(20)], 20_000, () => `load deliveries (${load.length}/${sent * (PER_DOC - 1)})`);
  recording = false;
  line(`relay under load, 100 clients / 20 docs at ${achieved} updates/s: p50 ${ms(pct(load, 50))} ms, p99 ${ms(pct(load, 99))} ms over ${load.length} deliveries (goal p99 ≤ 5 ms; clients share the server's process)`);
  void expected;
  clients.forEach((x) => x.c.destroy());

  // --- cold load of a 10,000-shape document, before and after compaction ---
  const big = `ann:${seed.images.free}`;
  db.$client.transaction(() => {
    const doc = new Y.Doc();
    doc.on('update', (u: Uint8Array) => store.append(big, u, seed.users.manager.id));
    for (let i = 0; i < 10_000; i++) addShape(doc, { id: `b${i}`, kind: 'box', label: 'c', points: [i % 640, (i / 640) | 0, 10, 10], attrs: { n: i } }, { author: 'u' });
  })();
  await until(() => core.stats().connections === 0, [every(10)], 10_000, 'all clients gone');
  core.unloadIdle(true);
  const coldLoad = async () => {
    const t0 = performance.now();
    const c = connectSyncClient({ url: server.url, docName: big, token: seed.tokens.manager });
    await c.synced(30_000);
    const took = performance.now() - t0;
    c.destroy();
    await until(() => core.stats().connections === 0, [every(5)], 10_000, 'client gone');
    core.unloadIdle(true);
    return took;
  };
  const rowsBefore = store.count(big);
  const coldBefore = await coldLoad();
  const r = store.compact(big);
  const coldAfter = await coldLoad();
  const coldAfter2 = await coldLoad();
  line(`cold load of 10,000 shapes to a synced client: ${Math.round(coldBefore)} ms from ${rowsBefore} rows, ${Math.round(Math.min(coldAfter, coldAfter2))} ms after compaction to ${r.rowsAfter} row (${Math.round(r.bytesBefore / 1024)} → ${Math.round(r.bytesAfter / 1024)} KiB) (goal ≤ 100 ms)`);

  // --- RSS: 1,000 documents of 100 shapes open, then idle unload (first, on a fresh heap) ---
  const DOCS = 1000;
  const ids: string[] = [];
  db.$client.transaction(() => {
    for (let d = 0; d < DOCS; d++) {
      const doc = new Y.Doc();
      doc.on('update', (u: Uint8Array) => store.append(`ann:rss${d}`, u, seed.users.manager.id));
      for (let i = 0; i < 100; i++) addShape(doc, { id: `s${i}`, kind: 'polygon', label: 'c', points: [i, 0, i + 9, 0, i + 9, 9, i, 9] }, { author: 'u' });
      ids.push(`ann:rss${d}`);
    }
  })();
  gc();
  const heapMb = () => Math.round(process.memoryUsage().heapUsed / 1e5) / 10;
  const rssBefore = rssMb();
  const heapBefore = heapMb();
  // opened through the transport-free core (one connection each, no socket) so that the figure is the server's
  const nop = { send() {}, bufferedAmount: () => 0, close() {} };
  const conns = ids.map((name) => core.connect(name, { userId: seed.users.manager.id, access: 'write' }, nop));
  gc();
  const rssOpen = rssMb();
  const heapOpen = heapMb();
  core.hibernateIdle(true);
  gc();
  const rssHib = rssMb();
  const heapHib = heapMb();
  conns.forEach((c) => c.closed());
  core.unloadIdle(true);
  gc();
  const rssUnloaded = rssMb();
  const heapUnloaded = heapMb();
  line(`RSS (whole bench process): ${rssBefore} MB before; ${DOCS} docs × 100 shapes open with live Y.Docs ${rssOpen} MB (heap +${Math.round(heapOpen - heapBefore)} MB); open and hibernated ${rssHib} MB (heap +${Math.round(heapHib - heapBefore)} MB); after idle unload ${rssUnloaded} MB (heap +${Math.round(heapUnloaded - heapBefore)} MB) (goal ≤ 300 MB open)`);
  Object.assign(results, {
    rss_before_mb: rssBefore, rss_1000_docs_live_mb: rssOpen, rss_1000_docs_hibernated_mb: rssHib, rss_after_unload_mb: rssUnloaded, rss_goal_mb: 300,
    heap_1000_docs_live_mb: Math.round(heapOpen - heapBefore), heap_1000_docs_hibernated_mb: Math.round(heapHib - heapBefore), heap_after_unload_mb: Math.round(heapUnloaded - heapBefore),
  });

  await server.close();
  dir.cleanup();
  Object.assign(results, {
    p50_ms: ms(pct(pair, 50)),
    p99_ms: ms(pct(pair, 99)),
    load_clients: 100,
    load_docs: DOCS_LOAD,
    load_updates_per_s: achieved,
    load_p50_ms: ms(pct(load, 50)),
    load_p99_ms: ms(pct(load, 99)),
    baseline: 'raw ws echo',
    baseline_p50_ms: ms(pct(echo, 50)),
    baseline_p99_ms: ms(pct(echo, 99)),
    ratio: ms(pct(pair, 50) / pct(echo, 50)),
    durable_updates_per_s: writeRate,
    raw_sqlite_inserts_per_s: rawRate,
    write_ratio: ms(writeRate / rawRate),
    cold_load_ms_before_compaction: Math.round(coldBefore),
    cold_load_ms_after_compaction: Math.round(Math.min(coldAfter, coldAfter2)),
    cold_load_goal_ms: 100,
  });
  void sleep;
  console.log(JSON.stringify(results));
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
