// A Node-side sync client for tests, benchmarks and the CLI: a y-websocket provider (ws polyfill,
// no BroadcastChannel) authenticated with `?token=`, with promises for "synced" and "closed".
import { WebSocket } from 'ws';
import { WebsocketProvider } from 'y-websocket';
import { readAuthMessage } from 'y-protocols/auth';
import * as Y from 'yjs';
import { MESSAGE } from './protocol.ts';
import { SYNC_PATH } from '../../shared/sync-path.ts';

export interface SyncClientOptions {
  /** The server's base URL, `http://host:port` (or `ws://`). */
  url: string;
  docName: string;
  token?: string;
  /** Bring your own document (e.g. one edited offline); a new one otherwise. */
  doc?: Y.Doc;
  /** Connect at once (default true). */
  connect?: boolean;
  /** Reconnect backoff ceiling in ms (y-websocket default 2500). */
  maxBackoffTime?: number;
}

export interface SyncClient {
  doc: Y.Doc;
  provider: WebsocketProvider;
  /** Resolves when the server's state has arrived (sync step 2); rejects if the server closes for good first. */
  synced(timeoutMs?: number): Promise<void>;
  /** Resolves with the close code when the server refuses or ends the connection permanently (4400–4499). */
  closed: Promise<{ code: number; reason: string }>;
  /** Reasons from permission-denied messages received. */
  denied: string[];
  destroy(): void;
}

export const syncServerUrl = (url: string) => url.replace(/^http/, 'ws').replace(/\/$/, '') + SYNC_PATH;

export function connectSyncClient(opts: SyncClientOptions): SyncClient {
  const doc = opts.doc ?? new Y.Doc();
  const provider = new WebsocketProvider(syncServerUrl(opts.url), opts.docName, doc, {
    params: opts.token ? { token: opts.token } : {},
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
    disableBc: true,
    connect: opts.connect ?? true,
    maxBackoffTime: opts.maxBackoffTime,
  });
  const denied: string[] = [];
  // y-websocket only logs permission denials; record them for callers instead.
  provider.messageHandlers[MESSAGE.auth] = (_encoder, decoder) => {
    readAuthMessage(decoder, doc, (_y, reason) => denied.push(reason));
  };
  const closed = new Promise<{ code: number; reason: string }>((resolve) => {
    provider.on('closed', (e) => resolve({ code: e.code, reason: e.reason }));
  });
  const synced = (timeoutMs = 10_000) =>
    new Promise<void>((resolve, reject) => {
      if (provider.synced) return resolve();
      const timer = setTimeout(() => done(new Error(`not synced with ${opts.docName} after ${timeoutMs} ms`)), timeoutMs);
      const onSync = (s: boolean) => s && done();
      const done = (e?: Error) => {
        clearTimeout(timer);
        provider.off('sync', onSync);
        e ? reject(e) : resolve();
      };
      provider.on('sync', onSync);
      closed.then((c) => done(new Error(`connection to ${opts.docName} closed: ${c.code} ${c.reason}`)));
    });
  return {
    doc,
    provider,
    synced,
    closed,
    denied,
    destroy() {
      provider.destroy();
    },
  };
}

/** Connects, waits until synced, disconnects; returns the document. */
export async function fetchDoc(opts: Omit<SyncClientOptions, 'connect'>, timeoutMs = 10_000): Promise<Y.Doc> {
  const c = connectSyncClient(opts);
  try {
    await c.synced(timeoutMs);
    return c.doc;
  } finally {
    c.destroy();
  }
}
