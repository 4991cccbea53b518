// `npm run bench:sync`: relay latency (one pair; 100 clients on 20 documents at 1,000 updates/s)
// beside a raw WebSocket echo through the same server process; durable write rate beside a raw
// better-sqlite3 insert loop over the same table; cold load of a 10,000-shape document
// before/after compaction; RSS idle, with 1,000 documents of 100 shapes open and after they
// unload. Every server runs in a forked child (its RSS is its own), the clients here; one file
// per measurement in bench/sync/. The peers — the reference y-websocket server and Hocuspocus over
// SQLite (bench/sync/peers.ts) — run on the same seeded data: memory first in each fresh process,
// then relay and load in interleaved rounds (ours, y-websocket, Hocuspocus, then again;
// percentiles over all rounds' samples), their figures under `peer_*` and `peer_hocuspocus_*`.
// BENCH_ROUNDS (default 3) sets the rounds. Last line: one JSON object.
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openDb } from '../server/adapters/sqlite/open.ts';
import { tempDir } from '../server/testing/fixtures.ts';
import { CHILD_RUNTIME, forkChild } from './sync/child.ts';
import { yWebsocketClients } from './sync/clients.ts';
import { measureColdLoad } from './sync/cold-load.ts';
import { measureDurableVsRaw, type GroupStats } from './sync/durable.ts';
import { echoLatency } from './sync/echo.ts';
import { measureLoad } from './sync/load.ts';
import { measureMemory } from './sync/memory.ts';
import { measurePair } from './sync/relay-pair.ts';
import { RELAY_DURABILITY, peerColdLoad, peerMemory, startPeers } from './sync/peers.ts';
import { seedData } from './sync/seed.ts';
import { LOAD_DOCS, ms, pct } from './sync/util.ts';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);

async function main() {
  process.setMaxListeners(1000); // y-websocket adds a process 'exit' listener per provider
  const dir = tempDir('tessera-bench-');
  const db = openDb({ file: join(dir.dir, 'tessera.db') });
  const { seed, loadImages, durableDocs } = seedData(db);
  db.$client.close();
  const bigDoc = `ann:${seed.images.free}`;
  console.log(`server children (ours, y-websocket, Hocuspocus): ${CHILD_RUNTIME}`);
  const child = await forkChild(fileURLToPath(new URL('./sync/server-child.ts', import.meta.url)), ['--server', dir.dir], { BENCH_USER: seed.users.manager.id });
  const { url, ask } = child;
  const results: Record<string, unknown> = { bench: 'sync', rounds: ROUNDS, children: CHILD_RUNTIME };
  Object.assign(results, await measureMemory(ask));
  const peers = await startPeers(dir.dir, bigDoc);
  try {
    for (const p of peers) Object.assign(results, await peerMemory(p));

    // raw echo baseline through the same server process
    await echoLatency(url, 500);
    const echo = await echoLatency(url, 5000);
    console.log(`raw ws echo (same server process): p50 ${ms(pct(echo, 50))} ms, p99 ${ms(pct(echo, 99))} ms`);

    const servers = [{ key: '', label: '', connect: yWebsocketClients(url) }, ...peers.map((p) => ({ key: p.key, label: `peer ${p.name.split(' ')[0]}: `, connect: p.connect }))];
    const pairs = new Map<string, number[]>(servers.map((s) => [s.key, []]));
    const loads = new Map<string, number[]>(servers.map((s) => [s.key, []]));
    let achieved = 0;
    let loadClients = 0;
    for (let r = 0; r < ROUNDS; r++) {
      for (const s of servers) {
        const { pair, a, b } = await measurePair(s.connect, seed, echo, s.label);
        a.destroy();
        b.destroy();
        pairs.get(s.key)!.push(...pair);
      }
    }
    const durable = await measureDurableVsRaw(url, dir.dir, seed, durableDocs, () => ask<GroupStats>('groups'));
    for (let r = 0; r < ROUNDS; r++) {
      for (const s of servers) {
        const run = await measureLoad(s.connect, seed, loadImages, s.label);
        loads.get(s.key)!.push(...run.load);
        if (s.key === '') (achieved += run.achieved / ROUNDS), (loadClients = run.clients);
      }
    }
    const cold = await measureColdLoad(url, seed, ask);
    for (const p of peers) Object.assign(results, await peerColdLoad(p, bigDoc));

    const pair = pairs.get('')!;
    const load = loads.get('')!;
    console.log(`over ${ROUNDS} interleaved rounds: relay p50 / p99 ${servers.map((s) => `${s.label || 'tessera: '}${ms(pct(pairs.get(s.key)!, 50))} / ${ms(pct(pairs.get(s.key)!, 99))} ms`).join('; ')}`);
    console.log(`durable at relay time: ${RELAY_DURABILITY}`);
    console.log(`over ${ROUNDS} interleaved rounds: load p50 / p99 ${servers.map((s) => `${s.label || 'tessera: '}${ms(pct(loads.get(s.key)!, 50))} / ${ms(pct(loads.get(s.key)!, 99))} ms`).join('; ')}`);
    Object.assign(results, {
      p50_ms: ms(pct(pair, 50)),
      p99_ms: ms(pct(pair, 99)),
      relay_durability: RELAY_DURABILITY,
      baseline: 'raw ws echo',
      baseline_p50_ms: ms(pct(echo, 50)),
      baseline_p99_ms: ms(pct(echo, 99)),
      ratio: ms(pct(pair, 50) / pct(echo, 50)),
      load_clients: loadClients,
      load_docs: LOAD_DOCS,
      load_updates_per_s: Math.round(achieved),
      load_p50_ms: ms(pct(load, 50)),
      load_p99_ms: ms(pct(load, 99)),
      durable_updates_per_s: durable.writeRate,
      write_baseline: 'raw better-sqlite3 insert loop: same doc_updates table, rows, bytes and synchronous=NORMAL, one row per transaction',
      raw_sqlite_inserts_per_s: durable.rawRate,
      durable_ratio: Math.round((durable.writeRate / durable.rawRate) * 100) / 100,
      durable_mean_group: durable.meanGroup,
      raw_sqlite_grouped_inserts_per_s: durable.rawGroupedRate,
      cold_load_ms_before_compaction: Math.round(cold.coldBefore),
      cold_load_ms_after_compaction: Math.round(cold.coldAfter),
      server_load_ms_before_compaction: Math.round(cold.serverLoadBefore),
      server_load_ms_after_compaction: Math.round(cold.serverLoadAfter),
      client_apply_ms: Math.round(cold.clientApply),
      cold_load_goal_ms: 100,
    });
    for (const p of peers) {
      Object.assign(results, {
        [p.key === 'peer_' ? 'peer' : `${p.key}name`]: p.name,
        [`${p.key}p50_ms`]: ms(pct(pairs.get(p.key)!, 50)),
        [`${p.key}p99_ms`]: ms(pct(pairs.get(p.key)!, 99)),
        [`${p.key}load_p50_ms`]: ms(pct(loads.get(p.key)!, 50)),
        [`${p.key}load_p99_ms`]: ms(pct(loads.get(p.key)!, 99)),
      });
    }
  } finally {
    await child.stop();
    for (const p of peers) await p.child.stop();
    dir.cleanup();
  }
  console.log(JSON.stringify(results));
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
