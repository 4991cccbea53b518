// `npm run bench:sync-memory`: only the memory lines of bench:sync, in BENCH_ROUNDS (default 3)
// interleaved rounds of fresh processes (Tessera's server child, then each peer), medians printed
// beside each other; RSS is a high-water mark, so every round forks new children. Last line: one JSON object.
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openDb } from '../server/adapters/sqlite/open.ts';
import { tempDir } from '../server/testing/fixtures.ts';
import { CHILD_RUNTIME, forkChild } from './sync/child.ts';
import { measureMemory } from './sync/memory.ts';
import { peerMemory, startPeers } from './sync/peers.ts';
import { seedData } from './sync/seed.ts';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const median = (xs: number[]) => xs.slice().sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function main() {
  const dir = tempDir('tessera-bench-mem-');
  const db = openDb({ file: join(dir.dir, 'tessera.db') });
  const { seed } = seedData(db);
  db.$client.close();
  const rounds: Array<Record<string, unknown>> = [];
  console.log(`server children (ours, y-websocket, Hocuspocus): ${CHILD_RUNTIME}`);
  try {
    for (let r = 0; r < ROUNDS; r++) {
      const round: Record<string, unknown> = {};
      const child = await forkChild(fileURLToPath(new URL('./sync/server-child.ts', import.meta.url)), ['--server', dir.dir], { BENCH_USER: seed.users.manager.id });
      Object.assign(round, await measureMemory(child.ask));
      await child.stop();
      const peers = await startPeers(dir.dir, `ann:${seed.images.free}`);
      for (const p of peers) {
        Object.assign(round, await peerMemory(p));
        await p.child.stop();
      }
      rounds.push(round);
    }
  } finally {
    dir.cleanup();
  }
  const results: Record<string, unknown> = { bench: 'sync-memory', rounds: ROUNDS, children: CHILD_RUNTIME };
  for (const key of Object.keys(rounds[0])) {
    const xs = rounds.map((r) => r[key]);
    results[key] = xs.every((x) => typeof x === 'number') ? median(xs as number[]) : xs[0];
  }
  console.log(JSON.stringify(results));
}

main().then(() => process.exit(0), (e) => (console.error(e), process.exit(1)));
