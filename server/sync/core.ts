// The transport-free sync core: rooms loaded on first connect, connections attached to them, and
// the operations tools and the adapter call (server-side writes, revalidation, stats, close).
// Knows nothing of HTTP or sockets: an adapter hands it a `SyncTransport` per connection. Frame
// handling is in frames.ts, compaction / hibernation / unloading in lifecycle.ts, the vocabulary
// in types.ts (re-exported here).
import * as Y from 'yjs';
import { removeAwarenessStates } from 'y-protocols/awareness';
import { Connection } from './connection.ts';
import { receiveFrame } from './frames.ts';
import { compactDoc, compactIfDue, hibernateIdle, startLifecycleTimer, unloadIdle, unloadRoom } from './lifecycle.ts';
import { CLOSE, syncStep1Frame, type CloseCode } from './protocol.ts';
import { Room, ServerWrite } from './room.ts';
import { applyLog } from './store.ts';
import type { AccessCheck, SyncConnection, SyncCore, SyncOptions, SyncPrincipal, SyncTransport } from './types.ts';
import { SYNC_DEFAULTS } from './types.ts';

export { SYNC_DEFAULTS } from './types.ts';
export type { AccessCheck, SyncConnection, SyncCore, SyncOptions, SyncPrincipal, SyncTransport } from './types.ts';

const EMPTY_STATE_VECTOR = Y.encodeStateVector(new Y.Doc());

class CoreImpl implements SyncCore {
  readonly rooms = new Map<string, Room>();
  private readonly stopTimer: () => void;

  constructor(readonly opts: SyncOptions) {
    this.stopTimer = startLifecycleTimer(this);
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
    receiveFrame(this, conn, frame);
  }

  written(room: Room): void {
    compactIfDue(this, room);
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
    queueMicrotask(() => unloadRoom(this, room, CLOSE.internal, 'storage failure'));
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
    compactDoc(this, docName);
  }

  unloadIdle(force = false): number {
    return unloadIdle(this, force);
  }

  hibernateIdle(force = false): number {
    return hibernateIdle(this, force);
  }

  stats() {
    let connections = 0;
    let hibernating = 0;
    for (const r of this.rooms.values()) (connections += r.members.size), (hibernating += r.hibernating ? 1 : 0);
    return { docs: this.rooms.size, hibernating, connections };
  }

  close(): void {
    this.stopTimer();
    for (const room of [...this.rooms.values()]) unloadRoom(this, room, CLOSE.goingAway, 'server shutting down');
  }
}

export function createSyncCore(options: Partial<SyncOptions> & Pick<SyncOptions, 'store'>): SyncCore {
  return new CoreImpl({ ...SYNC_DEFAULTS, ...options });
}
