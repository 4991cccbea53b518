// Test harness for the sync server: a real server on port 0 with a temp data dir, a seeded
// project, and a handle on the sync core to inspect the server-side documents.
import { afterEach, beforeEach } from 'vitest';
import type * as Y from 'yjs';
import { startServer, type RunningServer } from '../main.ts';
import { connectSyncClient, type SyncClient } from '../sync/client.ts';
import type { StartOptions } from '../main.ts';
import type { SyncServer } from '../sync/ws.ts';
import { seedProject, tempDir, type SeededProject } from './fixtures.ts';

export interface SyncTestServer {
  server: RunningServer;
  sync: SyncServer;
  seed: SeededProject;
  url: string;
  close(): Promise<void>;
}

export async function startSyncTestServer(opts: Exclude<StartOptions['sync'], false | undefined> = {}): Promise<SyncTestServer> {
  const t = tempDir();
  const server = await startServer({ port: 0, dataDir: t.dir, clientDir: null }, { sync: { log: () => {}, ...opts } });
  const seed = seedProject(server.db);
  return {
    server,
    sync: server.sync!,
    seed,
    url: server.url,
    async close() {
      await server.close();
      t.cleanup();
    },
  };
}

/**
 * Inside a `describe`: a fresh sync test server per test and a `client()` that connects Node sync
 * clients which are all destroyed after the test.
 */
export function perTestSyncServer() {
  const clients: SyncClient[] = [];
  const ctx = {
    t: undefined as unknown as SyncTestServer,
    client(token: string, docName: string, doc?: Y.Doc): SyncClient {
      const c = connectSyncClient({ url: ctx.t.url, docName, token, doc, maxBackoffTime: 100 });
      clients.push(c);
      return c;
    },
  };
  beforeEach(async () => {
    ctx.t = await startSyncTestServer();
  });
  afterEach(async () => {
    clients.splice(0).forEach((c) => c.destroy());
    await ctx.t.close();
  });
  return ctx;
}
