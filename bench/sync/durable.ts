// Durable write rate while relaying: a burst of 20,000 updates from A until B has the last one,
// beside a raw better-sqlite3 insert loop (one row per statement) on the same machine.
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { moveShape, observeShapes, readShape } from '../../shared/doc/annotations.ts';
import type { SyncClient } from '../../server/sync/client.ts';
import type { Ask, Stats } from './util.ts';

export async function measureDurable(ask: Ask, dir: string, pairDoc: string, a: SyncClient, b: SyncClient) {
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
  const raw = new Database(join(dir, 'raw.db'));
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
  return { writeRate, rawRate };
}
