// The thin WebSocket adapter: claims upgrades on /api/sync/<docName>, authenticates from the
// session cookie or `?token=`, refuses by accepting and closing with 4401/4403 (before any
// document byte), pings to detect dead sockets, and hands frames to the transport-free core.
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Db } from '../adapters/sqlite/open.ts';
import { SESSION_COOKIE } from '../http/context.ts';
import { requestHost, sameOrigin } from '../http/same-origin.ts';
import type { UpgradeHandler } from '../main.ts';
import { accessToDocNow as accessToDoc, resolveTokenNow as resolveToken, tokenActiveNow as tokenActive } from '../adapters/sqlite/sync-lookups.ts';
import { createSyncCore, type SyncCore, type SyncOptions } from './core.ts';
import { CLOSE } from './protocol.ts';
import { sqliteUpdateStore } from '../adapters/sqlite/update-store.ts';
import { sqliteClientIds } from '../adapters/sqlite/client-ids.ts';

export const SYNC_PATH = '/api/sync/';

export interface SyncServerOptions extends Partial<Omit<SyncOptions, 'store'>> {
  db: Db;
  store?: SyncOptions['store'];
  /** Ping interval; a socket that has not answered the previous ping is terminated. */
  pingIntervalMs?: number;
  /** Behind a reverse proxy: the origin check compares with X-Forwarded-Host. */
  trustProxy?: boolean;
}

export interface SyncServer extends UpgradeHandler {
  core: SyncCore;
}

function cookieValue(header: string | undefined, name: string): string | null {
  if (!header) return null;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) {
      try {
        return decodeURIComponent(part.slice(eq + 1).trim());
      } catch {
        return null;
      }
    }
  }
  return null;
}

export function createSyncServer({ db, store, pingIntervalMs = 30_000, trustProxy = false, ...rest }: SyncServerOptions): SyncServer {
  const core = createSyncCore({ ...rest, store: store ?? sqliteUpdateStore(db), clientIds: rest.clientIds ?? sqliteClientIds(db) });
  const maxPayload = (rest.maxFrameBytes ?? 32 * 1024 * 1024) + 16;
  const wss = new WebSocketServer({ noServer: true, maxPayload, perMessageDeflate: false });
  const alive = new WeakMap<WebSocket, boolean>();

  const ping = setInterval(() => {
    for (const ws of wss.clients) {
      if (alive.get(ws) === false) {
        ws.terminate();
        continue;
      }
      alive.set(ws, false);
      ws.ping();
    }
  }, pingIntervalMs);
  ping.unref();

  function accept(ws: WebSocket, req: IncomingMessage, docName: string, token: string | null, byCookie: boolean) {
    ws.on('error', () => {}); // protocol errors close the socket; the 'close' handler cleans up
    // A browser sends the session cookie to this socket from any page: only our own pages may use it.
    const header = (n: string) => {
      const v = req.headers[n];
      return Array.isArray(v) ? v[0] : v;
    };
    if (byCookie && !sameOrigin(req.headers.origin, requestHost(header, trustProxy))) return ws.close(CLOSE.forbidden, 'cross-origin connection refused');
    const principal = resolveToken(db, token);
    if (!principal) return ws.close(CLOSE.unauthenticated, 'not signed in');
    const { access } = accessToDoc(db, principal.user.id, docName);
    if (access === 'none') return ws.close(CLOSE.forbidden, 'no access to this document');
    alive.set(ws, true);
    const conn = core.connect(docName, { userId: principal.user.id, access, tokenId: principal.tokenId }, {
      send: (frame) => {
        if (ws.readyState === ws.OPEN) ws.send(frame);
      },
      bufferedAmount: () => ws.bufferedAmount,
      close: (code, reason) => ws.close(code, reason),
    });
    ws.on('pong', () => alive.set(ws, true));
    ws.on('message', (data, isBinary) => {
      alive.set(ws, true);
      if (!isBinary) {
        conn.closed();
        return ws.close(CLOSE.badFrame, 'text frames are not part of the protocol');
      }
      const buf = Array.isArray(data) ? Buffer.concat(data) : Buffer.isBuffer(data) ? data : Buffer.from(data);
      conn.receive(new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength));
    });
    ws.on('close', () => conn.closed());
  }

  return {
    core,
    revalidate: () =>
      void core
        .revalidate((p, docName) => {
          if (p.tokenId && !tokenActive(db, p.tokenId)) return 'unauthenticated';
          return accessToDoc(db, p.userId, docName).access;
        })
        .catch((e) => core.stats() && (rest.log ?? console.warn)('revalidation failed', { error: String(e) })),
    handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): boolean {
      const url = new URL(req.url ?? '/', 'http://localhost');
      if (!url.pathname.startsWith(SYNC_PATH)) return false;
      let docName: string;
      try {
        docName = decodeURIComponent(url.pathname.slice(SYNC_PATH.length));
      } catch {
        docName = '';
      }
      const query = url.searchParams.get('token');
      const token = query ?? cookieValue(req.headers.cookie, SESSION_COOKIE);
      wss.handleUpgrade(req, socket, head, (ws) => accept(ws, req, docName, token, query === null));
      return true;
    },
    async close() {
      clearInterval(ping);
      await core.close();
      for (const ws of wss.clients) ws.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}
