// The floor under every server's idle RSS, so a reader can see what of ours is the fixed stack and
// what is Tessera's: a child that only imports the packages Tessera's server cannot run without
// (hono and @hono/node-server, which replaces the global Request/Response and so loads Node's
// undici; drizzle-orm with its better-sqlite3 driver and migrator; better-sqlite3; yjs; y-protocols;
// lib0; ws; zod) and starts nothing (better-sqlite3's native addon loads with the first database,
// so it is not in), and one that imports nothing (plain Node, with the IPC and stats code every
// bench child has). Both run as the servers do (bundled, under plain Node: child.ts) and are
// measured the same way: at start and lowest over the same idle window (util.ts idleStats).
import { fileURLToPath } from 'node:url';
import { answerCommands, forkChild } from './child.ts';
import { gc, idleStats, memory, mb, rssSplit, rssSplitKeys, type Stats } from './util.ts';

export const FLOORS = {
  stack: { key: 'floor_', label: 'stack floor (node + hono/undici, drizzle, better-sqlite3, yjs, y-protocols, ws, zod imported, nothing started)' },
  node: { key: 'floor_node_', label: 'plain node (nothing imported)' },
} as const;

/** What the stack floor imports: Tessera's server's packages, by the entry points it uses. */
async function importStack(): Promise<unknown[]> {
  return Promise.all([
    import('hono'),
    import('hono/cookie'),
    import('hono/streaming'),
    import('hono/secure-headers'),
    import('@hono/node-server'),
    import('drizzle-orm'),
    import('drizzle-orm/sqlite-core'),
    import('drizzle-orm/better-sqlite3'),
    import('drizzle-orm/better-sqlite3/migrator'),
    import('better-sqlite3'),
    import('yjs'),
    import('y-protocols/sync'),
    import('y-protocols/awareness'),
    import('lib0/encoding'),
    import('lib0/decoding'),
    import('ws'),
    import('zod'),
  ]);
}

/** Forks both floors, idles them side by side (they start nothing, so they do not compete), prints a line each. */
export async function measureFloors(): Promise<Record<string, number>> {
  const script = fileURLToPath(import.meta.url);
  const results: Record<string, number> = {};
  const splits: Record<string, string> = {};
  await Promise.all(
    (Object.keys(FLOORS) as Array<keyof typeof FLOORS>).map(async (kind) => {
      const child = await forkChild(script, ['--floor', kind]);
      try {
        const start = await child.ask<Stats>('stats');
        const quiet = await idleStats(child.ask);
        results[`${FLOORS[kind].key}rss_idle_mb`] = mb(start.rss);
        results[`${FLOORS[kind].key}rss_idle_quiet_mb`] = mb(quiet.rss);
        results[`${FLOORS[kind].key}at_ms`] = quiet.atMs;
        splits[kind] = rssSplit(quiet);
        Object.assign(results, rssSplitKeys(`${FLOORS[kind].key}rss_idle_quiet`, quiet));
      } finally {
        await child.stop();
      }
    }),
  );
  for (const [kind, { key, label }] of Object.entries(FLOORS)) {
    console.log(`${label}: RSS ${results[`${key}rss_idle_mb`]} MB idle at start, ${results[`${key}rss_idle_quiet_mb`]} MB once idle (${results[`${key}at_ms`]} ms later: ${splits[kind]})`);
    delete results[`${key}at_ms`];
  }
  return results;
}

if (process.argv[2] === '--floor') {
  const kind = process.argv[3];
  const loaded = kind === 'stack' ? await importStack() : [];
  answerCommands({ stats: () => (gc(), { ...memory(), durable: 0, groups: 0, docs: loaded.length, hibernating: 0, connections: 0 }) }, `floor:${kind}`);
}
