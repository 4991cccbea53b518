// The transport-free sync core: rooms loaded on first connect (frames that arrive meanwhile wait),
// connections attached to them, the group-commit queue every write goes through, and the
// operations tools and the adapter call (server-side writes, revalidation, stats, close). Knows
// nothing of HTTP or sockets: an adapter hands it a `SyncTransport` per connection. Frame handling
// is in frames.ts, compaction / hibernation / unloading in lifecycle.ts, the vocabulary in
// types.ts (re-exported here).
import * as Y from 'yjs';
import { removeAwarenessStates } from 'y-protocols/awareness';
import { applyLog } from '../../shared/doc/log.ts';
import type { Fanout, FanoutMessage } from '../ports/fanout.ts';
import { CommitQueue } from './commit-queue.ts';
import { memoryClientIds } from '../adapters/memory/client-ids.ts';
import { Connection, EarlyConnection } from './connection.ts';
import { receiveFrame } from './frames.ts';
import { compactDoc, compactIfDue, hibernateIdle, startLifecycleTimer, unloadIdle, unloadRoom, unloadsDone } from './lifecycle.ts';
import { CLOSE, syncStep1Frame, type CloseCode } from './protocol.ts';
import { Room, ServerWrite, readStoredDoc } from './room.ts';
import type { AccessCheck, SyncConnection, SyncCore, SyncOptions, SyncPrincipal, SyncTransport } from './types.ts';
import { SYNC_DEFAULTS } from './types.ts';
import { provenanceAt, type Provenance } from '../../shared/doc/provenance.ts';

export { SYNC_DEFAULTS } from './types.ts';
export type { Access, AccessCheck, SyncConnection, SyncCore, SyncOptions, SyncPrincipal, SyncTransport } from './types.ts';

const EMPTY_STATE_VECTOR = Y.encodeStateVector(new Y.Doc());

/** A node alone: nobody to fan out to. */
const SOLO: Fanout = { subscribe: () => ({ publish() {}, close() {} }), close: async () => {} };

class CoreImpl implements SyncCore {
  readonly rooms = new Map<string, Room>();
  private readonly loading = new Map<string, Promise<Room>>();
  private readonly early = new Map<EarlyConnection, string>();
  readonly queue: CommitQueue;
  private readonly stopTimer: () => void;
  private closed = false;
  private readonly fanout: Fanout;

  constructor(readonly opts: SyncOptions) {
    this.fanout = opts.fanout ?? SOLO;
    this.queue = new CommitQueue(opts.store, { maxGroup: opts.maxGroup, maxGroupBytes: 8 * 1024 * 1024, sliceMs: 5, onSettled: () => this.flushHeld() });
    this.stopTimer = startLifecycleTimer(this);
  }

  /** The loaded room, or the promise of it (one load per document at a time, queued behind earlier writes). */
  private open(name: string): Room | Promise<Room> {
    const room = this.rooms.get(name);
    if (room) return room;
    let loading = this.loading.get(name);
    if (!loading) {
      // Subscribe before reading, so that nothing another node makes durable meanwhile is missed.
      let room: Room | null = null;
      const early: FanoutMessage[] = [];
      const topic = this.fanout.subscribe(name, (m) => (room ? room.fromFanout(m) : early.push(m)));
      loading = this.queue
        .exclusive(() => readStoredDoc(this.opts.store, name))
        .then((stored) => {
          if (this.closed) throw new Error('server shutting down');
          room = new Room(name, stored, this.queue, {
            onDurable: (rm, userId) => this.durable(rm, userId),
            onStoreFailure: (rm, e) => this.storeFailed(rm, e),
            log: this.opts.log,
            now: this.opts.now,
          }, this.opts.now(), topic);
          this.rooms.set(name, room);
          for (const m of early.splice(0)) room.fromFanout(m);
          return room;
        })
        .catch((e) => {
          topic.close();
          throw e;
        })
        .finally(() => this.loading.delete(name));
      this.loading.set(name, loading);
    }
    return loading;
  }

  connect(docName: string, principal: SyncPrincipal, transport: SyncTransport): SyncConnection {
    const room = this.open(docName);
    if (room instanceof Room) return this.attach(room, principal, transport);
    const early = new EarlyConnection(principal, transport, this.opts.maxFrameBytes, (e) => this.early.delete(e));
    this.early.set(early, docName);
    room.then(
      (r) => early.loaded(() => this.attach(r, early.principal, transport)),
      (e) => {
        if (!this.closed) this.opts.log('could not load a document', { doc: docName, error: String(e) });
        early.refuse(this.closed ? CLOSE.goingAway : CLOSE.internal, this.closed ? 'server shutting down' : 'could not load the document');
      },
    );
    return early;
  }

  private attach(room: Room, principal: SyncPrincipal, transport: SyncTransport): Connection {
    const conn = new Connection(room, principal, transport, this);
    room.members.add(conn);
    room.emptySince = null;
    conn.send(syncStep1Frame(room.stateVector()));
    const presence = room.awarenessSnapshot();
    if (presence) conn.send(presence);
    this.presence(room, conn, true);
    return conn;
  }

  private presence(room: Room, conn: Connection, present: boolean): void {
    if (!this.opts.onPresence) return;
    try {
      this.opts.onPresence(room.name, conn.userId, present);
    } catch (e) {
      this.opts.log('onPresence hook failed', { doc: room.name, error: String(e) });
    }
  }

  /** Transports holding frames back since the last group settled (ws.ts corks a socket for the turn). */
  private readonly holding = new Set<SyncTransport>();

  held(transport: SyncTransport): void {
    this.holding.add(transport);
  }

  /** A group's relays are sent: written out now, before its after-update hooks run. */
  private flushHeld(): void {
    for (const t of this.holding) {
      try {
        t.flush!();
      } catch {
        /* a socket that failed is closed by its own error handling */
      }
    }
    this.holding.clear();
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
    this.holding.delete(conn.transport);
    const room = conn.room;
    room.members.delete(conn);
    if (conn.clientIds.size) removeAwarenessStates(room.awareness, [...conn.clientIds], null);
    if (room.members.size === 0) room.emptySince = this.opts.now();
    this.presence(room, conn, false);
  }

  doc(docName: string): Y.Doc | null {
    return this.rooms.get(docName)?.doc(this.opts.now()) ?? null;
  }

  async change(docName: string, userId: string, fn: (doc: Y.Doc) => void): Promise<boolean> {
    const room = await this.open(docName);
    const doc = room.doc(this.opts.now());
    let changed = false;
    const seen = () => (changed = true);
    doc.on('update', seen);
    try {
      Y.transact(doc, () => fn(doc), new ServerWrite(userId));
    } finally {
      doc.off('update', seen);
    }
    await new Promise<void>((resolve) => room.whenDurable(resolve));
    if (room.failed) throw new Error(`could not persist the change to ${docName}`);
    return changed;
  }

  async encodedState(docName: string): Promise<Uint8Array> {
    const room = this.rooms.get(docName) ?? (await this.loading.get(docName)?.catch(() => undefined));
    if (room && this.rooms.get(docName) === room) return room.diff(EMPTY_STATE_VECTOR);
    const updates = await this.queue.exclusive(() => this.opts.store.load(docName));
    const doc = new Y.Doc();
    applyLog(doc, updates);
    const state = Y.encodeStateAsUpdate(doc);
    doc.destroy();
    return state;
  }

  async revalidate(check: AccessCheck): Promise<number> {
    let closed = 0;
    for (const room of [...this.rooms.values()]) {
      for (const m of [...room.members]) {
        const conn = m as Connection;
        const now = await check(conn.principal, room.name);
        if (!conn.open) continue;
        if (now === 'unauthenticated') (this.drop(conn, CLOSE.unauthenticated, 'signed out'), closed++);
        else if (now === 'none') (this.drop(conn, CLOSE.forbidden, 'no longer has access to this document'), closed++);
        else if (now !== conn.principal.access) {
          conn.principal.access = now;
          conn.deniedSent = false;
        }
      }
    }
    for (const [early, docName] of [...this.early]) {
      const now = await check(early.principal, docName);
      if (!early.open) continue;
      if (now === 'unauthenticated') (early.refuse(CLOSE.unauthenticated, 'signed out'), closed++);
      else if (now === 'none') (early.refuse(CLOSE.forbidden, 'no longer has access to this document'), closed++);
      else early.principal.access = now;
    }
    return closed;
  }

  async provenance(docName: string): Promise<{ provenance: Provenance; stateVector: Uint8Array }> {
    await this.flush();
    return provenanceAt(await this.queue.exclusive(() => this.opts.store.loadRows(docName)));
  }

  compact(docName: string): Promise<void> {
    return compactDoc(this, docName);
  }

  unloadIdle(force = false): number {
    return unloadIdle(this, force);
  }

  hibernateIdle(force = false): number {
    return hibernateIdle(this, force);
  }

  async flush(): Promise<void> {
    await unloadsDone(this); // unloads spread over later turns queue their compactions when they run
    return this.queue.idle();
  }

  stats() {
    let connections = this.early.size;
    let hibernating = 0;
    let pendingAppends = 0;
    for (const r of this.rooms.values()) (connections += r.members.size), (hibernating += r.hibernating ? 1 : 0), (pendingAppends += r.pending);
    const { groups, appends, largestGroup } = this.queue.stats;
    return { docs: this.rooms.size, hibernating, connections, loading: this.loading.size, pendingAppends, groups, appends, largestGroup };
  }

  async close(): Promise<void> {
    this.closed = true;
    this.stopTimer();
    for (const early of [...this.early.keys()]) early.refuse(CLOSE.goingAway, 'server shutting down');
    for (const room of [...this.rooms.values()]) unloadRoom(this, room, CLOSE.goingAway, 'server shutting down');
    await Promise.allSettled([...this.loading.values()]);
    await this.queue.idle();
    if (!this.opts.fanout) await this.fanout.close();
  }
}

export function createSyncCore(options: Partial<SyncOptions> & Pick<SyncOptions, 'store'>): SyncCore {
  return new CoreImpl({ ...SYNC_DEFAULTS, clientIds: memoryClientIds(), ...options, limits: { ...SYNC_DEFAULTS.limits, ...options.limits } });
}
