// The transport-free sync core: rooms loaded on first connect, the y-websocket message handling
// per connection (sync, awareness with the forgery check, read-only enforcement, malformed-frame
// and size limits, send-buffer limit), compaction past a threshold and idle unload. Knows
// nothing of HTTP or sockets: an adapter hands it a `SyncTransport` per connection.
import * as decoding from 'lib0/decoding';
import * as Y from 'yjs';
import { applyAwarenessUpdate, removeAwarenessStates } from 'y-protocols/awareness';
import {
  CLOSE, MESSAGE, SYNC, claimedUserId, permissionDeniedFrame, readAwarenessEntries, syncStep1Frame, syncStep2Frame,
  writeAwarenessEntries, type CloseCode,
} from './protocol.ts';
import { checkAuthorship } from './authorship.ts';
import { Room, ServerWrite, type RoomMember } from './room.ts';
import { applyLog, type UpdateStore } from './store.ts';

const EMPTY_STATE_VECTOR = Y.encodeStateVector(new Y.Doc());

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

class Connection implements RoomMember, SyncConnection {
  readonly clientIds = new Set<number>();
  open = true;
  deniedSent = false;
  constructor(
    readonly room: Room,
    readonly principal: SyncPrincipal,
    readonly transport: SyncTransport,
    private readonly core: CoreImpl,
  ) {}
  get userId() {
    return this.principal.userId;
  }
  send(frame: Uint8Array): void {
    if (!this.open) return;
    try {
      this.transport.send(frame);
    } catch (e) {
      this.core.drop(this, CLOSE.internal, 'send failed');
      return;
    }
    if (this.transport.bufferedAmount() > this.core.opts.maxBufferedBytes) this.core.drop(this, CLOSE.slow, 'send buffer full');
  }
  receive(frame: Uint8Array): void {
    if (!this.open) return;
    this.core.receive(this, frame);
  }
  closed(): void {
    if (this.open) this.core.detach(this);
  }
}

class CoreImpl implements SyncCore {
  readonly rooms = new Map<string, Room>();
  private timer: ReturnType<typeof setInterval> | null = null;

  constructor(readonly opts: SyncOptions) {
    const every = Math.max(50, Math.min(opts.idleUnloadMs / 2, opts.hibernateMs / 2, 10_000));
    this.timer = setInterval(() => (this.unloadIdle(), this.hibernateIdle()), every);
    this.timer.unref?.();
  }

  private room(name: string): Room {
    let room = this.rooms.get(name);
    if (!room) {
      room = new Room(name, this.opts.store, {
        onDurable: (r, userId) => this.durable(r, userId),
        onStoreFailure: (r, e) => this.storeFailed(r, e),
        log: this.opts.log,
      }, this.opts.now());
      this.rooms.set(name, room);
    }
    return room;
  }

  connect(docName: string, principal: SyncPrincipal, transport: SyncTransport): SyncConnection {
    const room = this.room(docName);
    const conn = new Connection(room, principal, transport, this);
    room.members.add(conn);
    room.emptySince = null;
    conn.send(syncStep1Frame(room.stateVector()));
    const presence = room.awarenessSnapshot();
    if (presence) conn.send(presence);
    return conn;
  }

  receive(conn: Connection, frame: Uint8Array): void {
    if (frame.byteLength > this.opts.maxFrameBytes) return this.drop(conn, CLOSE.tooLarge, 'frame too large');
    try {
      const d = decoding.createDecoder(frame);
      const type = decoding.readVarUint(d);
      switch (type) {
        case MESSAGE.sync:
          return this.onSync(conn, d);
        case MESSAGE.awareness:
          return this.onAwareness(conn, decoding.readVarUint8Array(d));
        case MESSAGE.queryAwareness: {
          const presence = conn.room.awarenessSnapshot();
          if (presence) conn.send(presence);
          return;
        }
        case MESSAGE.auth:
          return; // only servers send auth messages; ignore
        default:
          return this.drop(conn, CLOSE.badFrame, `unknown message type ${type}`);
      }
    } catch (e) {
      this.drop(conn, CLOSE.badFrame, 'malformed frame');
    }
  }

  private onSync(conn: Connection, d: decoding.Decoder): void {
    const room = conn.room;
    const kind = decoding.readVarUint(d);
    if (kind === SYNC.step1) {
      const sv = decoding.readVarUint8Array(d);
      Y.decodeStateVector(sv); // throws on malformed bytes
      conn.send(syncStep2Frame(room.diff(sv)));
      return;
    }
    if (kind !== SYNC.step2 && kind !== SYNC.update) throw new Error(`unknown sync message ${kind}`);
    const update = decoding.readVarUint8Array(d);
    // Validate fully before touching the document: a truncated update could apply partly.
    const decoded = Y.decodeUpdate(update);
    // Nothing new (a fresh client's empty step 2, or a returning client's step 2 that repeats what
    // the server has, deletions included): never wake a hibernating document for it.
    if (decoded.structs.length === 0 && decoded.ds.clients.size === 0) return;
    if (room.covers(decoded)) return;
    if (conn.principal.access !== 'write') {
      // It would have changed the document: deny (once), without waking it.
      if (!conn.deniedSent) {
        conn.deniedSent = true;
        conn.send(permissionDeniedFrame('read-only: this document is not writable for you'));
      }
      return;
    }
    const doc = room.doc(this.opts.now());
    if (checkAuthorship(doc, decoded, conn.userId) === 'forged') {
      this.opts.log('dropped an update with forged authorship', { doc: room.name, user: conn.userId });
      return this.drop(conn, CLOSE.badFrame, 'forged authorship');
    }
    Y.applyUpdate(doc, update, conn);
    if (room.failed) return;
    if (room.rows > this.opts.compactAfter && !room.compacting) {
      room.compacting = true;
      setImmediate(() => {
        room.compacting = false;
        if (this.rooms.get(room.name) === room && room.rows > this.opts.compactAfter) this.compact(room.name);
      });
    }
  }

  /** Keeps only entries whose state names the connection's own user and whose client id is not someone else's. */
  private onAwareness(conn: Connection, update: Uint8Array): void {
    const room = conn.room;
    const entries = readAwarenessEntries(update);
    let forged = 0;
    const kept = entries.filter((e) => {
      // y-websocket clients echo the states they received from others: drop those quietly.
      const owner = room.ownerOf(e.clientId);
      if (owner && owner !== conn) return false;
      if (e.state === null) return true;
      const claimed = claimedUserId(e.state);
      if (claimed !== null && claimed !== conn.userId) forged++;
      return claimed === conn.userId; // a state without a user (y-websocket's initial `{}`) is dropped quietly
    });
    if (forged) this.opts.log('dropped forged awareness states', { doc: room.name, user: conn.userId, forged });
    if (kept.length) applyAwarenessUpdate(room.awareness, writeAwarenessEntries(kept), conn);
  }

  private durable(room: Room, userId: string | null): void {
    if (userId == null || !this.opts.onUpdate) return;
    try {
      this.opts.onUpdate(room.name, userId);
    } catch (e) {
      this.opts.log('onUpdate hook failed', { doc: room.name, error: String(e) });
    }
  }

  private storeFailed(room: Room, e: unknown): void {
    this.opts.log('could not persist an update; unloading the document', { doc: room.name, error: String(e) });
    // Memory is now ahead of disk: drop the room so the next load reads the truth; clients resend.
    queueMicrotask(() => this.unload(room, CLOSE.internal, 'storage failure'));
  }

  drop(conn: Connection, code: CloseCode, reason: string): void {
    if (!conn.open) return;
    this.detach(conn);
    try {
      conn.transport.close(code, reason);
    } catch {
      /* the socket is already gone */
    }
  }

  detach(conn: Connection): void {
    conn.open = false;
    const room = conn.room;
    room.members.delete(conn);
    if (conn.clientIds.size) removeAwarenessStates(room.awareness, [...conn.clientIds], null);
    if (room.members.size === 0) room.emptySince = this.opts.now();
  }

  private unload(room: Room, code: CloseCode, reason: string): void {
    for (const m of [...room.members]) this.drop(m as Connection, code, reason);
    if (this.rooms.get(room.name) === room) this.rooms.delete(room.name);
    room.destroy();
  }

  doc(docName: string): Y.Doc | null {
    return this.rooms.get(docName)?.doc(this.opts.now()) ?? null;
  }

  change(docName: string, userId: string, fn: (doc: Y.Doc) => void): boolean {
    const room = this.room(docName);
    const doc = room.doc(this.opts.now());
    let changed = false;
    const seen = () => (changed = true);
    doc.on('update', seen);
    try {
      Y.transact(doc, () => fn(doc), new ServerWrite(userId));
    } finally {
      doc.off('update', seen);
    }
    if (room.failed) throw new Error(`could not persist the change to ${docName}`);
    return changed;
  }

  encodedState(docName: string): Uint8Array {
    const room = this.rooms.get(docName);
    if (room) return room.diff(EMPTY_STATE_VECTOR);
    const doc = new Y.Doc();
    applyLog(doc, this.opts.store.load(docName));
    const state = Y.encodeStateAsUpdate(doc);
    doc.destroy();
    return state;
  }

  revalidate(check: AccessCheck): number {
    let closed = 0;
    for (const room of [...this.rooms.values()]) {
      for (const m of [...room.members]) {
        const conn = m as Connection;
        const now = check(conn.principal, room.name);
        if (now === 'unauthenticated') (this.drop(conn, CLOSE.unauthenticated, 'signed out'), closed++);
        else if (now === 'none') (this.drop(conn, CLOSE.forbidden, 'no longer has access to this document'), closed++);
        else if (now !== conn.principal.access) {
          conn.principal.access = now;
          conn.deniedSent = false;
        }
      }
    }
    return closed;
  }

  compact(docName: string): void {
    const room = this.rooms.get(docName);
    try {
      // A loaded document compacts from memory (no second decode of the log) unless it failed.
      const current = room && !room.failed ? { ...room.snapshot(), rows: room.rows } : undefined;
      const r = this.opts.store.compact(docName, current);
      if (room) room.rows = r.rowsAfter;
    } catch (e) {
      this.opts.log('compaction failed', { doc: docName, error: String(e) });
    }
  }

  unloadIdle(force = false): number {
    const now = this.opts.now();
    let n = 0;
    for (const room of [...this.rooms.values()]) {
      if (room.members.size > 0 || room.emptySince == null) continue;
      if (!force && now - room.emptySince < this.opts.idleUnloadMs) continue;
      if (room.rows > 1) this.compact(room.name);
      this.unload(room, CLOSE.goingAway, 'idle');
      n++;
    }
    return n;
  }

  hibernateIdle(force = false): number {
    const now = this.opts.now();
    let n = 0;
    for (const room of this.rooms.values()) {
      if (room.hibernating || (!force && now - room.usedAt < this.opts.hibernateMs)) continue;
      room.hibernate();
      n++;
    }
    return n;
  }

  stats() {
    let connections = 0;
    let hibernating = 0;
    for (const r of this.rooms.values()) (connections += r.members.size), (hibernating += r.hibernating ? 1 : 0);
    return { docs: this.rooms.size, hibernating, connections };
  }

  close(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    for (const room of [...this.rooms.values()]) this.unload(room, CLOSE.goingAway, 'server shutting down');
  }
}

export function createSyncCore(options: Partial<SyncOptions> & Pick<SyncOptions, 'store'>): SyncCore {
  return new CoreImpl({ ...SYNC_DEFAULTS, ...options });
}
