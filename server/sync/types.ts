// The sync core's public vocabulary: what it needs from a socket (`SyncTransport`), who is on a
// connection (`SyncPrincipal`), its options and defaults, and the `SyncCore` / `SyncConnection`
// interfaces that adapters (ws.ts) and tools program against.
import type * as Y from 'yjs';
import type { CloseCode } from './protocol.ts';
import type { Fanout } from '../ports/fanout.ts';
import type { ClientIdRegistry } from '../ports/client-ids.ts';
import type { UpdateStore } from '../ports/update-store.ts';
import { SYNC_LIMITS, type SyncLimits } from './guards/limits.ts';
import type { Provenance } from '../../shared/doc/provenance.ts';

/** What the core needs from a socket. */
export interface SyncTransport {
  send(frame: Uint8Array): void;
  /** Bytes queued but not yet written to the network. */
  bufferedAmount(): number;
  close(code: CloseCode, reason: string): void;
  /**
   * Writes out at once what `send` held back (a transport may hold the frames of one turn to write
   * them together). The core calls it once a group commit's relays are sent, before the
   * after-update hooks run, so that the hooks never delay a relay's write.
   */
  flush?(): void;
}

export interface SyncPrincipal {
  userId: string;
  access: 'read' | 'write';
  /** The session or API token the connection signed in with, to notice its revocation. */
  tokenId?: string;
}

/** A connection's access now: still allowed (and how), no longer allowed, or no longer signed in. */
export type Access = 'write' | 'read' | 'none' | 'unauthenticated';
export type AccessCheck = (principal: SyncPrincipal, docName: string) => Access | Promise<Access>;

export interface SyncOptions {
  store: UpdateStore;
  /** This node's connection to the bus between sync nodes; default: a bus of its own (one node). */
  fanout?: Fanout;
  /** Compact a document's log once it has more rows than this. */
  compactAfter: number;
  /**
   * Past `compactAfter`, compaction waits until the document has had no write for this long, so a
   * burst is never held up behind its own compaction (its group commits queue behind it); past four
   * times `compactAfter` rows it runs at once. 0: at once.
   */
  compactQuietMs: number;
  /** Unload a document this long after its last connection left. */
  idleUnloadMs: number;
  /** Drop the live Y.Doc of a document nobody wrote to for this long, keeping its encoded state. */
  hibernateMs: number;
  /** Frames from clients above this size close the connection (4413). */
  maxFrameBytes: number;
  /** A connection whose unsent bytes exceed this is closed (1013) so it never stalls others. */
  maxBufferedBytes: number;
  /** Most appends committed in one group (one transaction). */
  maxGroup: number;
  /** Quotas per update, connection and document (server/sync/guards/limits.ts). */
  limits: SyncLimits;
  /** Who owns each Yjs client id of a document (in memory unless given). */
  clientIds: ClientIdRegistry;
  /** Called after an update from a connection is durable. Errors are logged, never thrown. */
  onUpdate?: (docName: string, userId: string) => void;
  /**
   * Called when a connection of `userId` joins a document (`present` true, once it is greeted) and
   * when it leaves (false), whatever closed it. Errors are logged, never thrown.
   */
  onPresence?: (docName: string, userId: string, present: boolean) => void;
  log: (message: string, details?: Record<string, unknown>) => void;
  now: () => number;
}

export const SYNC_DEFAULTS = {
  compactAfter: 500,
  compactQuietMs: 1000,
  idleUnloadMs: 30_000,
  hibernateMs: 10_000,
  maxFrameBytes: 32 * 1024 * 1024,
  maxBufferedBytes: 16 * 1024 * 1024,
  maxGroup: 2000,
  limits: SYNC_LIMITS,
  log: (message: string, details?: Record<string, unknown>) => console.warn(`[sync] ${message}`, details ?? ''),
  now: Date.now,
} satisfies Partial<SyncOptions>;

export interface SyncConnection {
  /**
   * Resolves once the document is loaded and the client greeted (at once when it was loaded
   * already), or the connection was closed meanwhile. Frames received before are queued.
   */
  readonly ready: Promise<void>;
  /** One binary frame from the client. */
  receive(frame: Uint8Array): void;
  /** The transport closed (idempotent). */
  closed(): void;
}

export interface SyncCore {
  /**
   * Greets the client (sync step 1, presence) once the document is loaded: at once when it is,
   * else after the store answered; frames received meanwhile are answered after that, in order.
   */
  connect(docName: string, principal: SyncPrincipal, transport: SyncTransport): SyncConnection;
  /** The live document, if loaded (tests, tools). */
  doc(docName: string): Y.Doc | null;
  /**
   * A server-side write on behalf of `userId` (imports, tools): loads the document if needed, runs
   * `fn` in one transaction, and the change is durable and relayed like a client's. Resolves, once
   * it is durable, with whether anything changed.
   */
  change(docName: string, userId: string, fn: (doc: Y.Doc) => void): Promise<boolean>;
  /** The whole current state of a document, encoded (from memory if loaded, else from the store). */
  encodedState(docName: string): Promise<Uint8Array>;
  /** Unloads documents idle for `idleUnloadMs` (compacting them first); returns how many. Runs on a timer too. */
  unloadIdle(force?: boolean): number;
  /** Hibernates documents whose live Y.Doc was unused for `hibernateMs`; returns how many. Runs on a timer too. */
  hibernateIdle(force?: boolean): number;
  /**
   * Who created and who last changed every shape of a document, folded from the update log's senders
   * (and the provenance compacted rows carry), once the writes queued so far are durable; with the
   * state vector of the state it describes.
   */
  provenance(docName: string): Promise<{ provenance: Provenance; stateVector: Uint8Array }>;
  /** Compacts one document's log (load, re-encode, swap in one transaction), after the writes queued before it. */
  compact(docName: string): Promise<void>;
  /**
   * Re-checks every open connection after memberships, assignments or tokens changed: a connection
   * that lost access is closed (4403, or 4401 when its token is gone); one that changed between
   * read and write continues with the new access. Resolves with how many were closed.
   */
  revalidate(check: AccessCheck): Promise<number>;
  /** Resolves once every write, read and compaction queued so far has settled. */
  flush(): Promise<void>;
  stats(): { docs: number; hibernating: number; connections: number; loading: number; pendingAppends: number; groups: number; appends: number; largestGroup: number };
  /** Closes every connection (1001), unloads every document and waits for queued writes. */
  close(): Promise<void>;
}
