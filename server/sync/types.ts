// The sync core's public vocabulary: what it needs from a socket (`SyncTransport`), who is on a
// connection (`SyncPrincipal`), its options and defaults, and the `SyncCore` / `SyncConnection`
// interfaces that adapters (ws.ts) and tools program against.
import type * as Y from 'yjs';
import type { CloseCode } from './protocol.ts';
import type { UpdateStore } from './store.ts';

/** What the core needs from a socket. */
export interface SyncTransport {
  send(frame: Uint8Array): void;
  /** Bytes queued but not yet written to the network. */
  bufferedAmount(): number;
  close(code: CloseCode, reason: string): void;
}

export interface SyncPrincipal {
  userId: string;
  access: 'read' | 'write';
  /** The session or API token the connection signed in with, to notice its revocation. */
  tokenId?: string;
}

/** A connection's access now: still allowed (and how), no longer allowed, or no longer signed in. */
export type AccessCheck = (principal: SyncPrincipal, docName: string) => 'write' | 'read' | 'none' | 'unauthenticated';

export interface SyncOptions {
  store: UpdateStore;
  /** Compact a document's log once it has more rows than this. */
  compactAfter: number;
  /** Unload a document this long after its last connection left. */
  idleUnloadMs: number;
  /** Drop the live Y.Doc of a document nobody wrote to for this long, keeping its encoded state. */
  hibernateMs: number;
  /** Frames from clients above this size close the connection (4413). */
  maxFrameBytes: number;
  /** A connection whose unsent bytes exceed this is closed (1013) so it never stalls others. */
  maxBufferedBytes: number;
  /** Called after an update from a connection is durable. Errors are logged, never thrown. */
  onUpdate?: (docName: string, userId: string) => void;
  log: (message: string, details?: Record<string, unknown>) => void;
  now: () => number;
}

export const SYNC_DEFAULTS = {
  compactAfter: 500,
  idleUnloadMs: 30_000,
  hibernateMs: 10_000,
  maxFrameBytes: 32 * 1024 * 1024,
  maxBufferedBytes: 16 * 1024 * 1024,
  log: (message: string, details?: Record<string, unknown>) => console.warn(`[sync] ${message}`, details ?? ''),
  now: Date.now,
} satisfies Partial<SyncOptions>;

export interface SyncConnection {
  /** One binary frame from the client. */
  receive(frame: Uint8Array): void;
  /** The transport closed (idempotent). */
  closed(): void;
}

export interface SyncCore {
  /** Loads the document if needed (synchronously) and greets the client (sync step 1, presence). */
  connect(docName: string, principal: SyncPrincipal, transport: SyncTransport): SyncConnection;
  /** The live document, if loaded (tests, tools). */
  doc(docName: string): Y.Doc | null;
  /**
   * A server-side write on behalf of `userId` (imports, tools): loads the document if needed, runs
   * `fn` in one transaction, and the change is durable and relayed like a client's. Returns whether
   * anything changed.
   */
  change(docName: string, userId: string, fn: (doc: Y.Doc) => void): boolean;
  /** The whole current state of a document, encoded (from memory if loaded, else from the store). */
  encodedState(docName: string): Uint8Array;
  /** Unloads documents idle for `idleUnloadMs`; returns how many. Runs on a timer too. */
  unloadIdle(force?: boolean): number;
  /** Hibernates documents whose live Y.Doc was unused for `hibernateMs`; returns how many. Runs on a timer too. */
  hibernateIdle(force?: boolean): number;
  /** Compacts one document's log now (load, re-encode, swap in one transaction). */
  compact(docName: string): void;
  /**
   * Re-checks every open connection after memberships, assignments or tokens changed: a connection
   * that lost access is closed (4403, or 4401 when its token is gone); one that changed between
   * read and write continues with the new access. Returns how many were closed.
   */
  revalidate(check: AccessCheck): number;
  stats(): { docs: number; hibernating: number; connections: number };
  /** Closes every connection (1001) and unloads every document. */
  close(): void;
}
