// Wires the concrete parts together: config → database, blobs, app, HTTP server, sync upgrades,
// demo seed; and shuts them down in order. The only file that knows every concrete part.
import { serve } from '@hono/node-server';
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { createApp } from './app.ts';
import { blobDir, dbFile, loadConfig, type Config, type ConfigInput } from './config.ts';
import { openDb, type Db } from './adapters/sqlite/open.ts';
import { loginLimiterFromConfig } from './http/login-limiter.ts';
import { allowedHosts, upgradeHostAllowed } from './http/allowed-hosts.ts';
import { audit } from './services/audit.ts';
import { seedDemo, type DemoSeed } from './demo.ts';
import { fsBlobStore } from './adapters/fs/blob-store.ts';
import type { BlobStore } from './ports/blob-store.ts';
import type { ClassUsage } from './services/classes.ts';
import { storeDocWriter, type DocWriter } from './services/doc-writer.ts';
import { sqliteUpdateStore } from './adapters/sqlite/update-store.ts';
import { classUsageFromDocs } from './services/class-usage.ts';

/** Something that takes over WebSocket upgrades on some paths (the sync server). */
export interface UpgradeHandler {
  /** Returns false when the path is not its own. */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): boolean;
  /** Stops accepting, closes every socket and flushes state. */
  close(): Promise<void>;
  /** Re-checks open connections after memberships, assignments or tokens changed. */
  revalidate?(): void;
}

export interface ServerParts {
  db: Db;
  blobs: BlobStore;
  config: Config;
}

export interface StartOptions {
  /** Builds the sync server (or other upgrade handlers) from the opened parts. */
  upgrades?: (parts: ServerParts) => UpgradeHandler[];
  /** Counts label usage; defaults to reading every `ann:` document of the project. */
  classUsage?: (parts: ServerParts) => ClassUsage;
  /** Server-side document writes; defaults to writing the update log directly. */
  docs?: (parts: ServerParts, upgrades: UpgradeHandler[]) => DocWriter;
}

export interface RunningServer extends ServerParts {
  url: string;
  port: number;
  demo: DemoSeed | null;
  http: Server;
  /** Server-side document access (through the sync server when wired). */
  docs: DocWriter;
  close(): Promise<void>;
}

export async function startServer(input: ConfigInput = {}, opts: StartOptions = {}): Promise<RunningServer> {
  const config = loadConfig(input);
  const db = openDb({ file: dbFile(config) });
  const blobs = fsBlobStore(blobDir(config));
  const parts = { db, blobs, config };
  const demo = config.demo ? await seedDemo(parts) : null;
  const upgrades = opts.upgrades?.(parts) ?? [];
  const docs = opts.docs?.(parts, upgrades) ?? storeDocWriter(sqliteUpdateStore(db));
  const loginLimiter = loginLimiterFromConfig(config, (e) => audit(db, e));
  const app = createApp({
    db,
    blobs,
    config,
    loginLimiter,
    classUsage: opts.classUsage?.(parts) ?? classUsageFromDocs(db, docs),
    docs,
    accessChanged: () => upgrades.forEach((u) => u.revalidate?.()),
  });

  const http = await new Promise<Server>((resolve) => {
    const s = serve({ fetch: app.fetch, port: config.port, hostname: config.host }, () => resolve(s as Server)) as Server;
  });
  const hostAllowed = allowedHosts({ listen: config.host, extra: config.allowedHosts });
  http.on('upgrade', (req, socket, head) => {
    if (!upgradeHostAllowed(hostAllowed, config.trustProxy, req.headers)) {
      socket.end('HTTP/1.1 421 Misdirected Request\r\nConnection: close\r\n\r\n');
      return;
    }
    for (const u of upgrades) if (u.handleUpgrade(req, socket, head)) return;
    socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n');
  });
  const address = http.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const url = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`;

  let closing: Promise<void> | null = null;
  const close = () =>
    (closing ??= (async () => {
      const stopped = new Promise<void>((resolve) => http.close(() => resolve()));
      await Promise.all(upgrades.map((u) => u.close()));
      http.closeAllConnections();
      await stopped;
      loginLimiter.close();
      db.$client.close();
    })());

  return { ...parts, url, port, demo, http, docs, close };
}
