// `npm run bench:sync`: relay latency (one pair; 100 clients on 20 documents at 1,000 updates/s)
// beside a raw WebSocket echo through the same server process; durable write rate beside a raw
// better-sqlite3 insert loop; cold load of a 10,000-shape document before/after compaction; RSS
// with 1,000 documents of 100 shapes open and after idle unload. The server runs in a forked
// child (bench/sync/server-child.ts, so its RSS is its own); the clients run here; one file per
// measurement in bench/sync/. Then the same relay, load, memory and cold-load runs against the
// reference peer, the y-websocket server (bench/sync/peers.ts), its figures under `peer_*` keys.
// Last line: one JSON object.
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openDb } from '../server/adapters/sqlite/open.ts';
import { tempDir } from '../server/testing/fixtures.ts';
import { forkChild } from './sync/child.ts';
import { measureColdLoad } from './sync/cold-load.ts';
import { measureDurableVsRaw, type GroupStats } from './sync/durable.ts';
import { echoLatency } from './sync/echo.ts';
import { measureLoad } from './sync/load.ts';
import { measureMemory } from './sync/memory.ts';
import { measurePair } from './sync/relay-pair.ts';
import { measurePeer } from './sync/peers.ts';
import { seedData } from './sync/seed.ts';
import { LOAD_DOCS, ms, pct } from './sync/util.ts';

async function main() {
  process.setMaxListeners(1000); // y-websocket adds a process 'exit' listener per provider
  const dir = tempDir('tessera-bench-');
  const db = openDb({ file: join(dir.dir, 'tessera.db') });
  const { seed, loadImages, durableDocs } = seedData(db);
  db.$client.close();
  const child = await forkChild(fileURLToPath(new URL('./sync/server-child.ts', import.meta.url)), ['--server', dir.dir], { BENCH_USER: seed.users.manager.id });
  const { url, ask } = child;
  const results: Record<string, unknown> = { bench: 'sync' };

  Object.assign(results, await measureMemory(ask));

  // raw echo baseline through the same server process
  await echoLatency(url, 500);
  const echo = await echoLatency(url, 5000);
  console.log(`raw ws echo (same server process): p50 ${ms(pct(echo, 50))} ms, p99 ${ms(pct(echo, 99))} ms`);

  const { pair, a, b } = await measurePair(url, seed, echo);
  a.destroy();
  b.destroy();
  const durable = await measureDurableVsRaw(url, dir.dir, seed, durableDocs, () => ask<GroupStats>('groups'));
  const { load, achieved, clients } = await measureLoad(url, seed, loadImages);
  const { coldBefore, coldAfter, serverLoadBefore, serverLoadAfter, clientApply } = await measureColdLoad(url, seed, ask);

  await child.stop();
  // The reference peer, on the same seeded data, after Tessera's server has exited.
  const peer = await measurePeer(dir.dir, seed, loadImages, echo);
  dir.cleanup();
  Object.assign(results, {
    p50_ms: ms(pct(pair, 50)),
    p99_ms: ms(pct(pair, 99)),
    baseline: 'raw ws echo',
    baseline_p50_ms: ms(pct(echo, 50)),
    baseline_p99_ms: ms(pct(echo, 99)),
    ratio: ms(pct(pair, 50) / pct(echo, 50)),
    load_clients: clients,
    load_docs: LOAD_DOCS,
    load_updates_per_s: achieved,
    load_p50_ms: ms(pct(load, 50)),
    load_p99_ms: ms(pct(load, 99)),
    durable_updates_per_s: durable.writeRate,
    write_baseline: 'raw better-sqlite3 insert loop: same doc_updates table, rows, bytes and synchronous=NORMAL, one row per transaction',
    raw_sqlite_inserts_per_s: durable.rawRate,
    durable_ratio: Math.round((durable.writeRate / durable.rawRate) * 100) / 100,
    durable_mean_group: durable.meanGroup,
    raw_sqlite_grouped_inserts_per_s: durable.rawGroupedRate,
    cold_load_ms_before_compaction: Math.round(coldBefore),
    cold_load_ms_after_compaction: Math.round(coldAfter),
    server_load_ms_before_compaction: Math.round(serverLoadBefore),
    server_load_ms_after_compaction: Math.round(serverLoadAfter),
    client_apply_ms: Math.round(clientApply),
    cold_load_goal_ms: 100,
    ...peer,
  });
  console.log(JSON.stringify(results));
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
