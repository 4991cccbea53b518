// The thin WebSocket adapter: claims upgrades on /api/sync/<docName>, authenticates from the
// session cookie or `?token=`, refuses by accepting and closing with 4401/4403 (before any
// document byte), pings to detect dead sockets, and hands frames to the transport-free core. Who
// someone is and what they may open are functions it is given (`SyncAuth`), as are the update
// store and the fan-out: it knows no database.
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { SYNC_PATH } from '../../shared/sync-path.ts';
import { cookieValue, SESSION_COOKIE } from '../http/session-cookie.ts';
import { requestHost, sameOrigin } from '../http/same-origin.ts';
import type { UpgradeHandler } from '../http/upgrade.ts';
import type { UpdateStore } from '../ports/update-store.ts';
import { createSyncCore, type SyncCore, type SyncOptions } from './core.ts';
import { CLOSE } from './protocol.ts';

type MaybePromise<T> = T | Promise<T>;

/** Who is on a socket and what they may open, as the composition root decides it. */
export interface SyncAuth {
  /** The user and token behind a session cookie or API token, or null when it is not valid. */
  authenticate(token: string | null): MaybePromise<{ userId: string; tokenId?: string } | null>;
  /** What `userId` may do with a document now. */
  authorize(userId: string, docName: string): MaybePromise<'write' | 'read' | 'none'>;
  /** Whether a session or token (by id) is still valid: not revoked, not expired. */
  tokenActive(tokenId: string): MaybePromise<boolean>;
}

export interface SyncServerOptions extends Partial<Omit<SyncOptions, 'store'>> {
  store: UpdateStore;
  auth: SyncAuth;
  /** Ping interval; a socket that has not answered the previous ping is terminated. */
  pingIntervalMs?: number;
  /** Behind a reverse proxy: the origin check compares with X-Forwarded-Host. */
  trustProxy?: boolean;
}

export interface SyncServer extends UpgradeHandler {
  core: SyncCore;
}

const PREFIX = `${SYNC_PATH}/`;

/**
 * Returns `cork()`: holds the socket's writes until the current turn of the event loop ends, so
 * that the frames one group commit relays to a connection leave in one write, not one system call
 * per frame (ws writes each frame at once); and `uncork()`, which writes them out sooner (the core
 * calls it through `flush` once a group's relays are sent). Nothing waits longer than the code
 * already running.
 */
function corkedUntilTick(socket: Duplex): { cork(): void; uncork(): void } {
  let corked = false;
  const uncork = () => {
    if (!corked) return;
    corked = false;
    socket.uncork();
  };
  return {
    cork() {
      if (corked) return;
      corked = true;
      socket.cork();
      process.nextTick(uncork);
    },
    uncork,
  };
}

/** A percent-encoded path segment decoded, or null when an escape is malformed (`%zz`, a lone `%E2`). */
function decodePath(raw: string): string | null {
  try {
    return decodeURIComponent(raw);
  } catch {
    return null;
  }
}

export function createSyncServer({ store, auth, pingIntervalMs = 30_000, trustProxy = false, ...rest }: SyncServerOptions): SyncServer {
  const core = createSyncCore({ ...rest, store });
  const log = rest.log ?? ((m: string, d?: Record<string, unknown>) => console.warn(`[sync] ${m}`, d ?? ''));
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

  async function accept(ws: WebSocket, socket: Duplex, req: IncomingMessage, docName: string, token: string | null, byCookie: boolean) {
    ws.on('error', () => {}); // protocol errors close the socket; the 'close' handler cleans up
    // Frames that arrive while authentication runs wait here (the core keeps those sent while the document loads).
    const early: Array<[Buffer, boolean]> = [];
    let deliver: ((data: Buffer, isBinary: boolean) => void) | null = null;
    let gone = false;
    const toBuffer = (data: WebSocket.RawData) => (Array.isArray(data) ? Buffer.concat(data) : Buffer.isBuffer(data) ? data : Buffer.from(data));
    ws.on('message', (data, isBinary) => {
      alive.set(ws, true);
      if (deliver) deliver(toBuffer(data), isBinary);
      else early.push([toBuffer(data), isBinary]);
    });
    ws.on('close', () => (gone = true));
    // A browser sends the session cookie to this socket from any page: only our own pages may use it.
    const header = (n: string) => {
      const v = req.headers[n];
      return Array.isArray(v) ? v[0] : v;
    };
    if (byCookie && !sameOrigin(req.headers.origin, requestHost(header, trustProxy))) return ws.close(CLOSE.forbidden, 'cross-origin connection refused');
    let principal: { userId: string; tokenId?: string } | null;
    let access: 'write' | 'read' | 'none';
    try {
      principal = await auth.authenticate(token);
      access = principal ? await auth.authorize(principal.userId, docName) : 'none';
    } catch (e) {
      log('could not check a sync connection', { doc: docName, error: String(e) });
      return ws.close(CLOSE.internal, 'could not check access');
    }
    if (gone) return;
    if (!principal) return ws.close(CLOSE.unauthenticated, 'not signed in');
    if (access === 'none') return ws.close(CLOSE.forbidden, 'no access to this document');
    alive.set(ws, true);
    const corked = corkedUntilTick(socket);
    const conn = core.connect(docName, { userId: principal.userId, access, tokenId: principal.tokenId }, {
      send: (frame) => {
        if (ws.readyState !== ws.OPEN) return;
        corked.cork();
        ws.send(frame);
      },
      flush: corked.uncork,
      bufferedAmount: () => ws.bufferedAmount,
      close: (code, reason) => ws.close(code, reason),
    });
    ws.on('pong', () => alive.set(ws, true));
    ws.on('close', () => conn.closed());
    deliver = (buf, isBinary) => {
      if (!isBinary) {
        conn.closed();
        return ws.close(CLOSE.badFrame, 'text frames are not part of the protocol');
      }
      conn.receive(new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength));
    };
    for (const [buf, isBinary] of early.splice(0)) deliver(buf, isBinary);
  }

  return {
    core,
    revalidate: () =>
      void core
        .revalidate(async (p, docName) => {
          if (p.tokenId && !(await auth.tokenActive(p.tokenId))) return 'unauthenticated';
          return auth.authorize(p.userId, docName);
        })
        .catch((e) => log('revalidation failed', { error: String(e) })),
    handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): boolean {
      let url: URL;
      try {
        url = new URL(req.url ?? '/', 'http://localhost');
      } catch {
        return false; // not a path at all, so not ours: the caller answers 404
      }
      if (!url.pathname.startsWith(PREFIX)) return false;
      // A malformed %-escape in the name is refused like an unknown document, before anyone is asked who this is.
      const docName = decodePath(url.pathname.slice(PREFIX.length));
      if (docName === null) {
        wss.handleUpgrade(req, socket, head, (ws) => (ws.on('error', () => {}), ws.close(CLOSE.forbidden, 'malformed document name')));
        return true;
      }
      // URLSearchParams decodes leniently (a bad escape stays as typed, so it is just a wrong token);
      // the cookie reader gives null for a bad escape (not signed in).
      const query = url.searchParams.get('token');
      const token = query ?? cookieValue(req.headers.cookie, SESSION_COOKIE);
      wss.handleUpgrade(req, socket, head, (ws) => void accept(ws, socket, req, docName, token, query === null));
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
