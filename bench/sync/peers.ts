// The peers measured in the same run, on the same seeded data, each in a forked process of its
// own: the reference y-websocket server (@y/websocket-server, in memory: it persists only through
// y-leveldb, not configured) and Hocuspocus (@hocuspocus/server with the database extension over
// SQLite, bench/sync/hocuspocus-child.ts). Here: starting them, their memory run (idle, with the
// 1,000 documents, after dropping them, once settled), their cold load of the 10,000-shape
// document, and the `peer_*` keys; relay and load rounds are interleaved with Tessera's in sync.ts.
import { fileURLToPath } from 'node:url';
import * as Y from 'yjs';
import { applyLog } from '../../shared/doc/log.ts';
import { openDb } from '../../server/adapters/sqlite/open.ts';
import { sqliteUpdateStore } from '../../server/adapters/sqlite/update-store.ts';
import { forkChild, type BenchChild } from './child.ts';
import { hocuspocusClients, yWebsocketClients, type Connect } from './clients.ts';
import { HOCUSPOCUS_UPSERT, openHocuspocusDb } from './hocuspocus-child.ts';
import { RSS_DOCS, idleStats, mb, rssSplit, rssSplitKeys, settledStats, type Stats } from './util.ts';

export interface Peer {
  /** Prefix of its keys in the JSON line. */
  key: string;
  name: string;
  child: BenchChild;
  connect: Connect;
}

/**
 * What each server has made durable when it relays an update (so that the latency lines compare
 * like with like): Tessera writes the update to its update journal (one write(2), the durability of
 * SQLite's WAL at synchronous=NORMAL: server/adapters/sqlite/update-journal.ts) before relaying it,
 * and moves it into SQLite within 5 ms;
 * Hocuspocus relays from the document's 'update' event (Document.handleUpdate) and stores the whole
 * state later, debounced 2 s after the last change and at most 10 s (its defaults); the y-websocket
 * server keeps it in memory only.
 */
export const RELAY_DURABILITY = 'tessera: journaled before relay (write(2), as SQLite WAL synchronous=NORMAL), in SQLite within 5 ms; hocuspocus: in memory at relay, stored 2-10 s later; y-websocket: in memory only' as const;

export const PEERS = {
  ywebsocket: { key: 'peer_', name: 'y-websocket-server 0.1.1 (in memory, not durable)' },
  hocuspocus: { key: 'peer_hocuspocus_', name: 'Hocuspocus 3.4.4 + extension-database over SQLite (whole state stored 2 s after the last change, at most 10 s)' },
} as const;

/** Hocuspocus's own store, filled from the seeded documents as its SQLite extension keeps them: one row of whole state each. */
export async function seedHocuspocus(dataDir: string, docs: string[]): Promise<string> {
  const file = `${dataDir}/hocuspocus.db`;
  const db = openDb({ file: `${dataDir}/tessera.db` });
  const store = sqliteUpdateStore(db);
  const rows: Array<[string, Uint8Array]> = [];
  for (const name of docs) {
    const doc = new Y.Doc();
    applyLog(doc, await store.load(name));
    rows.push([name, Y.encodeStateAsUpdate(doc)]);
    doc.destroy();
  }
  db.$client.close();
  const sql = openHocuspocusDb(file);
  const upsert = sql.prepare(HOCUSPOCUS_UPSERT);
  sql.transaction(() => rows.forEach(([n, state]) => upsert.run(n, state)))();
  sql.close();
  return file;
}

export async function startPeers(dataDir: string, bigDoc: string): Promise<Peer[]> {
  const docs = [...Array.from({ length: RSS_DOCS }, (_, d) => `ann:rss${d}`), bigDoc];
  const hpFile = await seedHocuspocus(dataDir, docs);
  const yws = await forkChild(fileURLToPath(new URL('./peer-child.ts', import.meta.url)), ['--peer', dataDir]);
  const hp = await forkChild(fileURLToPath(new URL('./hocuspocus-child.ts', import.meta.url)), ['--hocuspocus', hpFile]);
  return [
    { ...PEERS.ywebsocket, child: yws, connect: yWebsocketClients(yws.url) },
    { ...PEERS.hocuspocus, child: hp, connect: hocuspocusClients(hp.url) },
  ];
}

/** Idle, with the 1,000 documents open, after dropping them, and once its RSS settled. */
export async function peerMemory(peer: Peer): Promise<Record<string, unknown>> {
  const idle = await peer.child.ask<Stats>('stats');
  const quiet = await idleStats(peer.child.ask);
  await peer.child.ask('open');
  const open = await peer.child.ask<Stats>('stats');
  await peer.child.ask('closeAll');
  const closed = await peer.child.ask<Stats>('stats');
  const settled = await settledStats(peer.child.ask);
  const quietAfter = await idleStats(peer.child.ask);
  console.log(`peer ${peer.name}: RSS ${mb(idle.rss)} MB idle at start, ${mb(quiet.rss)} MB once idle (${quiet.atMs} ms later), ${mb(open.rss)} MB with the 1,000 documents, ${mb(closed.rss)} MB after dropping them, ${mb(settled.rss)} MB once it settled (${settled.settleMs} ms later), ${mb(quietAfter.rss)} MB once idle (${quietAfter.atMs} ms after that)`);
  console.log(`peer ${peer.name}: RSS split, once idle: ${rssSplit(quiet)}; after dropping them, once idle: ${rssSplit(quietAfter)}`);
  return {
    ...rssSplitKeys(`${peer.key}rss_idle_quiet`, quiet),
    ...rssSplitKeys(`${peer.key}rss_after_close_quiet`, quietAfter),
    [`${peer.key}rss_idle_mb`]: mb(idle.rss),
    [`${peer.key}rss_idle_quiet_mb`]: mb(quiet.rss),
    [`${peer.key}rss_1000_docs_mb`]: mb(open.rss),
    [`${peer.key}rss_after_close_mb`]: mb(closed.rss),
    [`${peer.key}rss_after_close_settled_mb`]: mb(settled.rss),
    [`${peer.key}rss_after_close_quiet_mb`]: mb(quietAfter.rss),
  };
}

/** The 10,000-shape document to a synced client (the y-websocket server holds it in memory first: it has no store). */
export async function peerColdLoad(peer: Peer, bigDoc: string): Promise<Record<string, unknown>> {
  await peer.child.ask('load', bigDoc);
  const t0 = performance.now();
  const c = peer.connect(bigDoc);
  await c.synced(30_000);
  const cold = performance.now() - t0;
  c.destroy();
  console.log(`peer ${peer.name}: load of 10,000 shapes to a synced client: ${Math.round(cold)} ms`);
  return { [`${peer.key}cold_load_ms`]: Math.round(cold) };
}
