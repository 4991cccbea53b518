// Durable write rate while relaying: 20 writers, one per document, each send 1,000 pre-encoded
// updates (a shape added, then moved) as fast as the socket takes them, and one reader per document
// counts the relayed frames; the rate is updates made durable (and relayed) per second until every
// reader has all of them. Senders and readers are raw sockets speaking the y-websocket frames, so
// that no client-side Yjs work is in the figure, and 1,000 per connection stays inside the server's
// per-connection message budget (2,000 at once). Beside it, the raw better-sqlite3 insert loop the
// brief compares with, made fair: the same migrated `doc_updates` table (same indexes, same
// `synchronous`, WAL), the same row shape and the very same update bytes, one row per transaction
// (autocommit); and, for reference, the same loop with one transaction per group of the size the
// server's group commits reached.
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { WebSocket } from 'ws';
import * as Y from 'yjs';
import { addShape, moveShape } from '../../shared/doc/annotations.ts';
import { syncDocPath } from '../../shared/sync-path.ts';
import { openDb } from '../../server/adapters/sqlite/open.ts';
import { updateFrame } from '../../server/sync/protocol.ts';
import type { SeededProject } from '../../server/testing/fixtures.ts';
import { DURABLE_PER_DOC } from './util.ts';

/** What the server child reports about its group commits. */
export type GroupStats = { groups: number; appends: number };

export interface DurableResult {
  writeRate: number;
  rawRate: number;
  rawGroupedRate: number;
  meanGroup: number;
  updates: number;
}

/** One sender's frames: the same edits a client makes, encoded once, up front. */
function framesFor(): { frames: Uint8Array[]; updates: Uint8Array[] } {
  const doc = new Y.Doc();
  const updates: Uint8Array[] = [];
  doc.on('update', (u: Uint8Array) => updates.push(u));
  addShape(doc, { id: 'd', kind: 'box', label: 'c', points: [0, 0, 1, 1] }, { author: 'bench' });
  for (let i = 1; i < DURABLE_PER_DOC; i++) moveShape(doc, 'd', [i, 1, 1, 1], { author: 'bench' });
  doc.destroy();
  return { frames: updates.map(updateFrame), updates };
}

const socket = (url: string, docName: string, token: string | undefined) =>
  new WebSocket(url.replace(/^http/, 'ws') + syncDocPath(docName) + (token ? `?token=${token}` : ''));
/** Resolves with the socket once the server greeted it (its first frame: the document is loaded). */
const greeted = (ws: WebSocket) => new Promise<WebSocket>((resolve, reject) => {
  ws.once('message', () => resolve(ws));
  ws.once('close', (code) => reject(new Error(`bench socket closed before the greeting: ${code}`)));
});
/** A relayed update frame: message type sync (0), sync type update (2). */
const isUpdate = (b: Buffer) => b[0] === 0 && b[1] === 2;

export async function measureDurable(
  url: string, docs: string[], tokens: { writer?: string; reader?: string }, groups: () => Promise<GroupStats>, label = '',
): Promise<{ rate: number; updates: Uint8Array[][]; meanGroup: number }> {
  const made = docs.map(() => framesFor());
  const writers = await Promise.all(docs.map((d) => greeted(socket(url, d, tokens.writer))));
  const readers = await Promise.all(docs.map((d) => greeted(socket(url, d, tokens.reader))));
  const g0 = await groups();
  const t0 = performance.now();
  const all = Promise.all(readers.map((ws) => new Promise<void>((resolve, reject) => {
    let n = 0;
    ws.on('message', (b: Buffer) => void (isUpdate(b) && ++n === DURABLE_PER_DOC && resolve()));
    ws.once('close', (code) => reject(new Error(`reader closed after ${n} updates: ${code}`)));
  })));
  writers.forEach((ws, i) => made[i].frames.forEach((f) => ws.send(f)));
  await all;
  const took = (performance.now() - t0) / 1000;
  const g1 = await groups();
  for (const ws of [...writers, ...readers]) ws.terminate();
  const total = docs.length * DURABLE_PER_DOC;
  const rate = Math.round(total / took);
  const meanGroup = g1.groups > g0.groups ? Math.round((g1.appends - g0.appends) / (g1.groups - g0.groups)) : 0;
  console.log(`${label}durable writes while relaying, ${docs.length} writers × ${DURABLE_PER_DOC} updates, each relayed to a reader: ${rate} updates/s${meanGroup ? ` (group commits of ${meanGroup} appends on average)` : ''}`);
  return { rate, updates: made.map((m) => m.updates), meanGroup };
}

/** The raw loop over the same table, row shape and bytes: one row per transaction, then per group of `group` rows. */
export function rawInsertRates(dir: string, docs: string[], updates: Uint8Array[][], userId: string, group: number) {
  const db = openDb({ file: join(dir, 'raw.db') });
  const raw: Database.Database = db.$client;
  const ins = raw.prepare('INSERT INTO doc_updates (doc_name, "update", user_id, created_at, compacted) VALUES (?, ?, ?, ?, 0)');
  const rows: Array<[string, Uint8Array]> = [];
  // interleaved across documents, as the writers' frames arrive
  for (let i = 0; i < DURABLE_PER_DOC; i++) docs.forEach((d, k) => rows.push([d, updates[k][i]]));
  const t0 = performance.now();
  for (const [d, u] of rows) ins.run(d, u, userId, Date.now());
  const rawRate = Math.round(rows.length / ((performance.now() - t0) / 1000));
  raw.exec('DELETE FROM doc_updates');
  const many = raw.transaction((chunk: Array<[string, Uint8Array]>) => {
    const at = Date.now();
    for (const [d, u] of chunk) ins.run(d, u, userId, at);
  });
  const size = Math.max(1, group);
  const t1 = performance.now();
  for (let i = 0; i < rows.length; i += size) many(rows.slice(i, i + size));
  const rawGroupedRate = Math.round(rows.length / ((performance.now() - t1) / 1000));
  raw.close();
  console.log(`  raw better-sqlite3 insert loop, same table, rows and synchronous=NORMAL: ${rawRate} rows/s one row per transaction; ${rawGroupedRate} rows/s in transactions of ${size} rows`);
  return { rawRate, rawGroupedRate };
}

/** Ours against the raw loop. */
export async function measureDurableVsRaw(url: string, dir: string, seed: SeededProject, docs: string[], groups: () => Promise<GroupStats>): Promise<DurableResult> {
  const ours = await measureDurable(url, docs, { writer: seed.tokens.manager, reader: seed.tokens.reviewer }, groups);
  const { rawRate, rawGroupedRate } = rawInsertRates(dir, docs, ours.updates, seed.users.manager.id, ours.meanGroup);
  return { writeRate: ours.rate, rawRate, rawGroupedRate, meanGroup: ours.meanGroup, updates: docs.length * DURABLE_PER_DOC };
}
