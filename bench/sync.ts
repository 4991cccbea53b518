// `npm run bench:sync`: relay latency (one pair; 100 clients on 20 documents at 1,000 updates/s)
// beside a raw WebSocket echo through the same server process; durable write rate beside a raw
// better-sqlite3 insert loop; cold load of a 10,000-shape document before/after compaction; RSS
// with 1,000 documents of 100 shapes open and after idle unload. The server runs in a forked
// child (so its RSS is its own); the clients run here. Last line: one JSON object.
import Database from 'better-sqlite3';
import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { WebSocket, WebSocketServer } from 'ws';
import * as Y from 'yjs';
import { addShape, moveShape, observeShapes, readShape } from '../shared/doc/annotations.ts';
import { MIGRATIONS, migrateDoc } from '../shared/doc/migrations.ts';
import { openDb, type Db } from '../server/adapters/sqlite/open.ts';
import { blobs, images } from '../server/adapters/sqlite/schema.ts';
import { startServer, type UpgradeHandler } from '../server/main.ts';
import { sha256Hex } from '../server/services/ids.ts';
import { connectSyncClient, type SyncClient } from '../server/sync/client.ts';
import { applyLog } from '../shared/doc/log.ts';
import { sqliteUpdateStore as sqliteStore } from '../server/adapters/sqlite/update-store.ts';
import type { SyncServer } from '../server/sync/ws.ts';
import { seedProject, tempDir, type SeededProject } from '../server/testing/fixtures.ts';
import { docUpdates, every, until } from '../server/testing/wait.ts';

const RSS_DOCS = 1000;
const LOAD_DOCS = 20;
const PER_DOC = 5;
const RATE = 1000;
const SECONDS = 5;

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
const mb = (n: number) => Math.round(n / 1e5) / 10;
const ms = (n: number) => Math.round(n * 1000) / 1000;
const pct = (samples: number[], p: number) => {
  const s = samples.slice().sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
};

// ---------------------------------------------------------------- server child
type Cmd = { id: number; cmd: string; arg?: string };

async function serverChild(dataDir: string) {
  let sync!: SyncServer;
  let durable = 0;
  const echo = (): UpgradeHandler => {
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
  };
  const server = await startServer(
    { port: 0, dataDir, clientDir: null },
    { sync: { log: () => {}, idleUnloadMs: 3_600_000, hibernateMs: 3_600_000, onUpdate: () => durable++ }, upgrades: [echo()] },
  );
  sync = server.sync!;
  const core = sync.core;
  const store = sqliteStore(server.db);
  const nop = { send() {}, bufferedAmount: () => 0, close() {} };
  let open: Array<{ closed(): void; ready: Promise<void> }> = [];
  const userId = process.env.BENCH_USER!;
  const handlers: Record<string, (arg?: string) => unknown> = {
    stats: () => (gc(), { rss: process.memoryUsage().rss, heap: process.memoryUsage().heapUsed, durable, ...core.stats() }),
    /** Opens the RSS documents (compacted, as idle documents are: served as stored). */
    open: async () => {
      for (let d = 0; d < RSS_DOCS; d++) open.push(core.connect(`ann:rss${d}`, { userId, access: 'write' }, nop));
      await Promise.all(open.map((c) => c.ready));
      return core.stats();
    },
    /** One write to every open RSS document: each becomes a live Y.Doc. */
    wake: async () => {
      const writes: Promise<boolean>[] = [];
      for (let d = 0; d < RSS_DOCS; d++) writes.push(core.change(`ann:rss${d}`, userId, (doc) => addShape(doc, { kind: 'point', label: 'c', points: [1, 1] }, { author: userId })));
      await Promise.all(writes);
      return core.stats();
    },
    closeAll: async () => {
      open.forEach((c) => c.closed());
      open = [];
      const n = core.unloadIdle(true);
      await core.flush();
      return n;
    },
    unload: async () => {
      const n = core.unloadIdle(true);
      await core.flush();
      return n;
    },
    compact: (name) => core.compact(name!),
    /** What the server does to load a log it cannot serve as stored: read every row, apply them in one transaction. */
    logLoadTime: async (name) => {
      const t0 = performance.now();
      const doc = new Y.Doc();
      applyLog(doc, await store.load(name!));
      const took = performance.now() - t0;
      doc.destroy();
      return took;
    },
    loadTime: async (name) => {
      core.unloadIdle(true);
      await core.flush();
      const t0 = performance.now();
      const c = core.connect(name!, { userId, access: 'read' }, nop);
      await c.ready;
      const took = performance.now() - t0;
      c.closed();
      core.unloadIdle(true);
      return took;
    },
  };
  process.on('message', (m: Cmd) => void Promise.resolve(handlers[m.cmd](m.arg)).then((result) => process.send!({ id: m.id, result })));
  process.send!({ ready: server.url });
}

// ---------------------------------------------------------------- seeding (parent)
function seedData(db: Db): { seed: SeededProject; loadImages: string[] } {
  const seed = seedProject(db);
  const store = sqliteStore(db);
  const loadImages: string[] = [];
  db.$client.transaction(() => {
    for (let d = 0; d < LOAD_DOCS; d++) {
      const id = `benchimg${d}`;
      const sha = sha256Hex(id);
      db.insert(blobs).values({ sha256: sha, size: 1, mime: 'image/png', createdAt: Date.now() }).run();
      db.insert(images).values({ id, projectId: seed.projectId, sha256: sha, fileName: `${id}.png`, mime: 'image/png', width: 10, height: 10, status: 'new', assigneeId: null, createdAt: Date.now(), createdBy: seed.users.manager.id }).run();
      loadImages.push(id);
    }
    // 1,000 documents of 100 shapes, one row per shape as editing writes them
    for (let d = 0; d < RSS_DOCS; d++) {
      const doc = new Y.Doc();
      doc.on('update', (u: Uint8Array) => store.append(`ann:rss${d}`, u, seed.users.manager.id));
      for (let i = 0; i < 100; i++) addShape(doc, { id: `s${i}`, kind: 'polygon', label: 'c', points: [i, 0, i + 9, 0, i + 9, 9, i, 9] }, { author: 'u' });
      // as every idle document is once the server unloads it (schema-stamped like a served one)
      migrateDoc(doc, MIGRATIONS.ann);
      store.compact(`ann:rss${d}`);
    }
    // the 10,000-shape document, one row per shape
    const big = new Y.Doc();
    big.on('update', (u: Uint8Array) => store.append(`ann:${seed.images.free}`, u, seed.users.manager.id));
    for (let i = 0; i < 10_000; i++) addShape(big, { id: `b${i}`, kind: 'box', label: 'c', points: [i % 640, (i / 640) | 0, 10, 10], attrs: { n: i } }, { author: 'u' });
  })();
  return { seed, loadImages };
}

/** The full encoded state of a document, as a synced client holds it. */
async function fetchState(url: string, docName: string, token: string): Promise<Uint8Array> {
  const c = connectSyncClient({ url, docName, token });
  await c.synced(30_000);
  const state = Y.encodeStateAsUpdate(c.doc);
  c.destroy();
  return state;
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

// ---------------------------------------------------------------- parent
async function main() {
  process.setMaxListeners(1000); // y-websocket adds a process 'exit' listener per provider
  const dir = tempDir('tessera-bench-');
  const db = openDb({ file: join(dir.dir, 'tessera.db') });
  const { seed, loadImages } = seedData(db);
  db.$client.close();
  const child: ChildProcess = fork(fileURLToPath(import.meta.url), ['--server', dir.dir], {
    execArgv: ['--import', 'tsx'],
    env: { ...process.env, BENCH_USER: seed.users.manager.id },
  });
  let nextId = 1;
  const pending = new Map<number, (v: unknown) => void>();
  const url = await new Promise<string>((resolve) => {
    child.on('message', (m: { ready?: string; id?: number; result?: unknown }) => {
      if (m.ready) resolve(m.ready);
      else if (m.id) (pending.get(m.id)!(m.result), pending.delete(m.id));
    });
  });
  const ask = <T>(cmd: string, arg?: string) =>
    new Promise<T>((resolve) => {
      const id = nextId++;
      pending.set(id, resolve as (v: unknown) => void);
      child.send({ id, cmd, arg });
    });
  type Stats = { rss: number; heap: number; durable: number; docs: number; hibernating: number; connections: number };
  const results: Record<string, unknown> = { bench: 'sync' };

  // RSS first, on the fresh server process (RSS is a high-water mark: the lightest state goes first)
  const s0 = await ask<Stats>('stats');
  await ask('open');
  const s1 = await ask<Stats>('stats');
  await ask('wake');
  const s2 = await ask<Stats>('stats');
  await ask('closeAll');
  const s3 = await ask<Stats>('stats');
  console.log(`server RSS: ${mb(s0.rss)} MB idle (heap ${mb(s0.heap)} MB)`);
  console.log(`server RSS: ${RSS_DOCS} docs × 100 shapes open (${s1.hibernating} served as stored): ${mb(s1.rss)} MB (heap ${mb(s1.heap)} MB) (goal ≤ 300 MB)`);
  console.log(`server RSS: the same ${RSS_DOCS} docs after one write each (${s2.docs - s2.hibernating} live Y.Docs): ${mb(s2.rss)} MB (heap ${mb(s2.heap)} MB)`);
  console.log(`server RSS: after they go idle and unload: ${mb(s3.rss)} MB (heap ${mb(s3.heap)} MB; RSS stays near its high-water mark)`);
  Object.assign(results, {
    rss_idle_mb: mb(s0.rss), rss_1000_docs_open_mb: mb(s1.rss), rss_1000_docs_live_mb: mb(s2.rss), rss_after_unload_mb: mb(s3.rss),
    heap_1000_docs_open_mb: mb(s1.heap), heap_1000_docs_live_mb: mb(s2.heap), heap_after_unload_mb: mb(s3.heap), rss_goal_mb: 300,
  });

  // raw echo baseline through the same server process
  await echoLatency(url, 500);
  const echo = await echoLatency(url, 5000);
  console.log(`raw ws echo (same server process): p50 ${ms(pct(echo, 50))} ms, p99 ${ms(pct(echo, 99))} ms`);

  // relay latency, one pair
  const pairDoc = `ann:${seed.images.assigned}`;
  const a = connectSyncClient({ url, docName: pairDoc, token: seed.tokens.annotator });
  const b = connectSyncClient({ url, docName: pairDoc, token: seed.tokens.reviewer });
  await Promise.all([a.synced(), b.synced()]);
  addShape(a.doc, { id: 'p', kind: 'box', label: 'c', points: [0, 0, 1, 1] }, { author: seed.users.annotator.id });
  await until(() => !!readShape(b.doc, 'p'), [docUpdates(b.doc)], 5000, 'pair shape');
  const pair: number[] = [];
  for (let i = 0; i < 3000; i++) {
    const t0 = performance.now();
    const arrived = new Promise<void>((r) => b.doc.once('update', () => r()));
    moveShape(a.doc, 'p', [i, 0, 1, 1], { author: 'a' });
    await arrived;
    if (i >= 300) pair.push(performance.now() - t0);
  }
  console.log(`relay A→server→B, one pair: p50 ${ms(pct(pair, 50))} ms, p99 ${ms(pct(pair, 99))} ms (${ms(pct(pair, 50) / pct(echo, 50))}× echo p50; goal ≤ 5×)`);

  // durable write rate while relaying: a burst from A until B has the last one
  const BURST = 20_000;
  const d0 = (await ask<Stats>('stats')).durable;
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
  const persisted = (await ask<Stats>('stats')).durable - d0;
  const writeRate = Math.round(persisted / burstS);
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
  console.log(`durable writes while relaying: ${writeRate} updates/s (${persisted} persisted, each relayed) vs raw better-sqlite3 insert loop ${rawRate} rows/s`);
  a.destroy();
  b.destroy();

  // 100 clients across 20 documents at 1,000 updates/s in total
  const clients: Array<{ c: SyncClient; shape: string; user: string }> = [];
  for (const img of loadImages) for (let k = 0; k < PER_DOC; k++) {
    clients.push({ c: connectSyncClient({ url, docName: `ann:${img}`, token: k % 2 ? seed.tokens.manager : seed.tokens.reviewer }), shape: `w${k}`, user: k % 2 ? seed.users.manager.id : seed.users.reviewer.id });
  }
  await Promise.all(clients.map((x) => x.c.synced(20_000)));
  for (const x of clients) addShape(x.c.doc, { id: x.shape, kind: 'box', label: 'c', points: [0, 0, 1, 1] }, { author: x.user }); // the server refuses forged authors
  await until(() => clients.every((x) => x.c.doc.getMap('shapes').size === PER_DOC), [every(20)], 20_000, 'load shapes everywhere');
  const load: number[] = [];
  let recording = true;
  for (const x of clients) {
    observeShapes(x.c.doc, ({ ids, local }) => {
      if (local || !recording) return;
      const now = performance.now();
      for (const id of ids) {
        const s = readShape(x.c.doc, id);
        if (s && s.points[0] > 0) load.push(now - s.points[0]);
      }
    });
  }
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
  await until(() => load.length >= sent * (PER_DOC - 1) * 0.999, [every(20)], 20_000, () => `deliveries (${load.length}/${sent * (PER_DOC - 1)})`);
  recording = false;
  console.log(`relay under load, ${clients.length} clients / ${LOAD_DOCS} docs at ${achieved} updates/s: p50 ${ms(pct(load, 50))} ms, p99 ${ms(pct(load, 99))} ms over ${load.length} deliveries (goal p99 ≤ 5 ms)`);
  clients.forEach((x) => x.c.destroy());

  // cold load of the 10,000-shape document to a first synced client, before and after compaction
  const big = `ann:${seed.images.free}`;
  const cold = async () => {
    await ask('unload');
    const t0 = performance.now();
    const c = connectSyncClient({ url, docName: big, token: seed.tokens.manager });
    await c.synced(30_000);
    const took = performance.now() - t0;
    c.destroy();
    return took;
  };
  const waitEmpty = () => new Promise<void>((r) => {
    const check = async () => ((await ask<Stats>('stats')).connections === 0 ? r() : setTimeout(check, 10));
    void check();
  });
  await waitEmpty();
  // Before compaction: the document as editing wrote it, one row per shape (never loaded yet).
  const serverLoadBefore = await ask<number>('logLoadTime', big);
  const coldBefore = await cold();
  await waitEmpty();
  await ask('compact', big);
  const serverLoadAfter = await ask<number>('loadTime', big);
  const coldAfter = await cold();
  // The floor under any client: applying the same state to an empty Y.Doc in this process.
  const state = await fetchState(url, big, seed.tokens.manager);
  const applyTimes: number[] = [];
  for (let i = 0; i < 5; i++) {
    const t0 = performance.now();
    Y.applyUpdate(new Y.Doc(), state);
    applyTimes.push(performance.now() - t0);
  }
  const clientApply = pct(applyTimes, 50);
  console.log(`cold load of 10,000 shapes to a synced client: ${Math.round(coldBefore)} ms before compaction (server load of the 10,000-row log ${Math.round(serverLoadBefore)} ms), ${Math.round(coldAfter)} ms after (server ${Math.round(serverLoadAfter)} ms: served as stored) (goal ≤ 100 ms)`);
  console.log(`  of which a client's own Y.applyUpdate of the ${(state.byteLength / 1e6).toFixed(2)} MB state: ${Math.round(clientApply)} ms (median of 5, no network, no server)`);

  child.kill('SIGTERM');
  await new Promise((r) => child.once('exit', r));
  dir.cleanup();
  Object.assign(results, {
    p50_ms: ms(pct(pair, 50)),
    p99_ms: ms(pct(pair, 99)),
    baseline: 'raw ws echo',
    baseline_p50_ms: ms(pct(echo, 50)),
    baseline_p99_ms: ms(pct(echo, 99)),
    ratio: ms(pct(pair, 50) / pct(echo, 50)),
    load_clients: clients.length,
    load_docs: LOAD_DOCS,
    load_updates_per_s: achieved,
    load_p50_ms: ms(pct(load, 50)),
    load_p99_ms: ms(pct(load, 99)),
    durable_updates_per_s: writeRate,
    write_baseline: 'raw better-sqlite3 insert loop',
    raw_sqlite_inserts_per_s: rawRate,
    cold_load_ms_before_compaction: Math.round(coldBefore),
    cold_load_ms_after_compaction: Math.round(coldAfter),
    server_load_ms_before_compaction: Math.round(serverLoadBefore),
    server_load_ms_after_compaction: Math.round(serverLoadAfter),
    client_apply_ms: Math.round(clientApply),
    cold_load_goal_ms: 100,
  });
  console.log(JSON.stringify(results));
}

if (process.argv[2] === '--server') {
  serverChild(process.argv[3]).catch((e) => {
    console.error(e);
    process.exit(1);
  });
} else {
  main().then(
    () => process.exit(0),
    (e) => {
      console.error(e);
      process.exit(1);
    },
  );
}
