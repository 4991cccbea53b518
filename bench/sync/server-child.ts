// The bench's server process: Tessera's sync server (with an echo endpoint beside it) over the
// seeded data directory, answering commands from the parent over IPC (stats, open/wake/close the
// RSS documents, unload, compact, timed loads). Forked, so that its RSS is its own.
import { WebSocketServer } from 'ws';
import * as Y from 'yjs';
import { addShape } from '../../shared/doc/annotations.ts';
import { applyLog } from '../../shared/doc/log.ts';
import { sqliteUpdateStore as sqliteStore } from '../../server/adapters/sqlite/update-store.ts';
import { startServer, type UpgradeHandler } from '../../server/main.ts';
import type { SyncServer } from '../../server/sync/ws.ts';
import { answerCommands } from './child.ts';
import { RSS_DOCS, gc, memory } from './util.ts';
import { startTrace } from './trace.ts';

export async function serverChild(dataDir: string) {
  let sync!: SyncServer;
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
    // the production after-update hooks run (review status, comment index): they are part of each write's cost
    { sync: { log: () => {}, idleUnloadMs: 3_600_000, hibernateMs: 3_600_000 }, upgrades: [echo()] },
  );
  sync = server.sync!;
  const core = sync.core;
  // BENCH_TRACE=1: loop delay, GC and timed store calls, reported by the `trace` command (bench/sync/trace.ts)
  const trace = process.env.BENCH_TRACE ? startTrace() : null;
  if (trace) trace.instrument(core);
  const store = sqliteStore(server.db);
  const nop = { send() {}, bufferedAmount: () => 0, close() {} };
  let open: Array<{ closed(): void; ready: Promise<void> }> = [];
  const userId = process.env.BENCH_USER!;
  const handlers: Record<string, (arg?: string) => unknown> = {
    trace: () => trace?.report() ?? null,
    stats: () => (gc(), { ...memory(), durable: core.stats().appends, ...core.stats() }),
    /** Group commits so far, without the forced GC of `stats`. */
    groups: () => ({ groups: core.stats().groups, appends: core.stats().appends }),
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
  answerCommands(handlers, server.url);
}

if (process.argv[2] === '--server') {
  serverChild(process.argv[3]).catch((e) => {
    console.error(e);
    process.exit(1);
  });
}
