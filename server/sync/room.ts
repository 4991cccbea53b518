// One loaded document: its content (a live Y.Doc, or while nobody writes, only its encoded state:
// "hibernation", since a live Y.Doc costs ~3 KB of heap per shape), its presence, its
// connections, and the rule that every change is durable BEFORE it is relayed: changes queue in
// the core's group commit (commit-queue.ts) and are relayed from its callback, in order; a step 2
// computed while changes are pending is held until they are durable too (`whenDurable`). Durable
// updates and presence also go to the other sync nodes through the fan-out port; theirs arrive
// through `fromFanout` and are relayed to this node's members (they are durable already).
import { Awareness, applyAwarenessUpdate, encodeAwarenessUpdate } from 'y-protocols/awareness';
import * as Y from 'yjs';
import { MIGRATIONS, currentVersion, migrateDoc, migratedVersion } from '../../shared/doc/migrations.ts';
import { parseDocName, type DocKind } from '../../shared/ids.ts';
import { addsNothing, encodedView, liveView, sortedRanges, type DecodedUpdate, type DeletedRanges } from './delete-set.ts';
import { awarenessFrame, updateFrame } from './protocol.ts';
import { applyLog, type DocSnapshot } from '../../shared/doc/log.ts';
import { ShapeTally, hasProvenance } from '../../shared/doc/provenance.ts';
import type { FanoutMessage, FanoutTopic } from '../ports/fanout.ts';
import type { UpdateStore } from '../ports/update-store.ts';
import type { CommitQueue } from './commit-queue.ts';

/** What a room needs from a connection: who it is, and a way to send to it. */
export interface RoomMember {
  readonly userId: string;
  /** Awareness client ids this connection published (removed when it leaves). */
  readonly clientIds: Set<number>;
  send(frame: Uint8Array): void;
}

export interface RoomHooks {
  /** Called after an update from a connection (or a migration, userId null) is durable and relayed. */
  onDurable(room: Room, userId: string | null): void;
  /** Called when the store refused a write: the room must be torn down (memory is ahead of disk). */
  onStoreFailure(room: Room, error: unknown): void;
  log(message: string, details?: Record<string, unknown>): void;
  now(): number;
}

/** An empty state vector is one varint 0 (no clients). */
const isEmptyStateVector = (sv: Uint8Array) => sv.byteLength === 1 && sv[0] === 0;

/** A document as read from the store: one current snapshot (served as stored), or its log. */
export type StoredDoc = { snapshot: DocSnapshot } | { updates: Uint8Array[] };

/** Reads a document for a room: its compacted row when that is at the current schema version, else its whole log. */
export async function readStoredDoc(store: UpdateStore, name: string): Promise<StoredDoc> {
  const kind = parseDocName(name)?.kind;
  const snapshot = await store.snapshot(name);
  if (snapshot && kind && snapshot.schemaVersion === currentVersion(kind)) return { snapshot };
  return { updates: await store.load(name) };
}

/** The origin of migration writes at load. */
const MIGRATION = Symbol('migration');
/** The origin of updates and presence from other sync nodes (durable there already). */
const REMOTE = Symbol('remote');

/** The origin of a server-side write (an import, a tool) made on behalf of a user. */
export class ServerWrite {
  constructor(readonly userId: string) {}
}

export class Room {
  /** The live document, or null while hibernating (then `state` holds it encoded). */
  private live: Y.Doc | null = null;
  private state: Uint8Array | null = null;
  /** The state vector and schema version of `state` while hibernating (decoding them from the state is slow). */
  private stateVectorCache: Uint8Array | null = null;
  private versionCache = 0;
  /** The state vector (decoded) and delete set of `state` while hibernating, made when first needed. */
  private svMapCache: Map<number, number> | null = null;
  private deletedCache: DeletedRanges | null = null;
  private readonly kind: DocKind | null;
  /** Presence needs no document content: it hangs off a placeholder doc. */
  readonly awareness = new Awareness(new Y.Doc());
  readonly members = new Set<RoomMember>();
  /** Rows in the store's log (to trigger compaction). */
  rows: number;
  /** Bytes in the store's log (for the document size limit). */
  bytes: number;
  /** Changes applied since load: a connection's step 1 is answered once per value. */
  changes = 0;
  /** When the last member left (ms), or null while someone is connected. */
  emptySince: number | null;
  /** When the live document was last used (ms). */
  usedAt: number;
  failed = false;
  /** A compaction is scheduled or running. */
  compacting = false;
  /** When a connection last wrote (ms), while the log is past the compaction threshold. */
  writtenAt = 0;
  /** Who touched which shape since the log's compacted row (`ann:` documents): what compaction credits without a second decode. */
  readonly tally: ShapeTally | null;

  /** Changes appended to the commit queue and not yet durable. */
  pending = 0;

  constructor(
    readonly name: string,
    stored: StoredDoc,
    private readonly queue: CommitQueue,
    private readonly hooks: RoomHooks,
    now: number,
    /** This node's subscription to the document on the fan-out bus. */
    private readonly topic: FanoutTopic,
  ) {
    this.emptySince = now;
    this.usedAt = now;
    const kind = (this.kind = parseDocName(name)?.kind ?? null);
    // known from a compacted row on (or from nothing: a new document); a log of several rows would need the whole fold
    this.tally = hasProvenance(name) ? new ShapeTally('snapshot' in stored || stored.updates.length === 0, (origin) => (origin === REMOTE ? undefined : this.senderOf(origin))) : null;
    if ('snapshot' in stored) {
      // A compacted, current document is served as stored: it becomes a live Y.Doc on its first write.
      this.rows = 1;
      this.bytes = stored.snapshot.state.byteLength;
      this.state = stored.snapshot.state;
      this.stateVectorCache = stored.snapshot.stateVector;
      this.versionCache = stored.snapshot.schemaVersion;
    } else {
      this.rows = stored.updates.length;
      this.bytes = stored.updates.reduce((n, u) => n + u.byteLength, 0);
      const doc = new Y.Doc();
      applyLog(doc, stored.updates); // before attaching: loading must not append the log to itself
      this.attach(doc);
      if (kind) {
        const r = migrateDoc(doc, MIGRATIONS[kind], MIGRATION);
        if (!r.ok) hooks.log('document schema check failed; serving it unmigrated', { doc: name, error: r.error });
      }
    }
    this.awareness.setLocalState(null);
    this.awareness.on('update', this.onAwarenessUpdate);
  }

  private attach(doc: Y.Doc): Y.Doc {
    this.live = doc;
    doc.on('update', this.onDocUpdate);
    this.tally?.attach(doc);
    return doc;
  }

  /** The live document, rebuilt from the encoded state if hibernating. */
  doc(now: number): Y.Doc {
    this.usedAt = now;
    if (this.live) return this.live;
    const doc = new Y.Doc();
    Y.applyUpdate(doc, this.state!);
    this.state = null;
    this.stateVectorCache = null;
    this.svMapCache = null;
    this.deletedCache = null;
    return this.attach(doc);
  }

  get hibernating(): boolean {
    return this.live === null;
  }

  /** Keeps only the encoded state. Reads (state vector, diffs) work on it without a Y.Doc. */
  hibernate(): void {
    if (!this.live) return;
    this.state = Y.encodeStateAsUpdate(this.live);
    this.stateVectorCache = Y.encodeStateVector(this.live);
    this.svMapCache = null;
    // cheap from the live store (no decoding); a document served as stored decodes it when first needed
    this.deletedCache = sortedRanges(Y.createDeleteSetFromStructStore(this.live.store));
    this.versionCache = this.versionOf(this.live);
    this.tally?.detach();
    this.live.off('update', this.onDocUpdate);
    this.live.destroy();
    this.live = null;
  }

  /** The schema version, from the recorded migration ids (not `meta.version`, which any writer can set). */
  private versionOf(doc: Y.Doc): number {
    return this.kind ? migratedVersion(doc, MIGRATIONS[this.kind]) : 0;
  }

  /**
   * Whether an update adds nothing to the document: every struct's clocks are already in the state
   * vector and every range it deletes is already deleted (a returning client's sync step 2 repeats
   * the whole delete set). Never wakes a hibernating document.
   */
  covers(update: DecodedUpdate): boolean {
    if (this.live) return addsNothing(update, liveView(this.live));
    const sv = (this.svMapCache ??= Y.decodeStateVector(this.stateVector()));
    return addsNothing(update, encodedView(sv, () => (this.deletedCache ??= sortedRanges(Y.decodeUpdate(this.state!).ds))));
  }

  stateVector(): Uint8Array {
    if (this.live) return Y.encodeStateVector(this.live);
    return (this.stateVectorCache ??= Y.encodeStateVectorFromUpdate(this.state!));
  }

  /** The whole state as held in memory: the stored log once the pending appends are written (they are queued in order). */
  snapshot(): DocSnapshot {
    if (this.live) return { state: Y.encodeStateAsUpdate(this.live), stateVector: Y.encodeStateVector(this.live), schemaVersion: this.versionOf(this.live) };
    return { state: this.state!, stateVector: this.stateVector(), schemaVersion: this.versionCache };
  }

  /** What a peer with state vector `sv` lacks. */
  diff(sv: Uint8Array): Uint8Array {
    if (this.live) return Y.encodeStateAsUpdate(this.live, sv);
    // A newcomer with nothing gets the stored state as it is.
    return isEmptyStateVector(sv) ? this.state! : Y.diffUpdate(this.state!, sv);
  }

  /** Durable before fan-out: queue the append; once its group is durable, relay to everyone but the sender, then tell the hooks. */
  private onDocUpdate = (update: Uint8Array, origin: unknown) => {
    if (this.failed) return;
    if (origin === REMOTE) {
      const frame = updateFrame(update);
      for (const m of this.members) m.send(frame);
      return;
    }
    const from = origin === MIGRATION || origin instanceof ServerWrite ? null : (origin as RoomMember | null);
    const userId = this.senderOf(origin);
    this.rows++;
    this.bytes += update.byteLength;
    this.changes++;
    this.pending++;
    this.queue.append(
      { docName: this.name, update, userId },
      (error) => {
        this.pending--;
        if (error !== undefined) return this.fail(error);
        if (this.failed) return;
        // relayed first: the after-update hooks (review status, comment index) are nobody's wait;
        // they run once the group's relays are written out, in the same turn (commit-queue.ts)
        const frame = updateFrame(update);
        for (const m of this.members) if (m !== from) m.send(frame);
        this.topic.publish({ kind: 'update', payload: update });
        return () => this.hooks.onDurable(this, userId);
      },
      () => this.failed,
    );
  };

  /** The user an update is logged for: a member's own, a server write's user, else null (migrations, server writes). */
  private senderOf(origin: unknown): string | null {
    if (origin instanceof ServerWrite) return origin.userId;
    const from = origin === MIGRATION ? null : (origin as RoomMember | null);
    return from && this.members.has(from) ? from.userId : null;
  }

  private fail(error: unknown): void {
    if (this.failed) return;
    this.failed = true;
    this.hooks.onStoreFailure(this, error);
  }

  /** Runs `fn` once every change made so far is durable (at once when none is pending). */
  whenDurable(fn: () => void): void {
    if (this.pending === 0) fn();
    else this.queue.after(fn);
  }

  /** Presence goes to every member, the sender included (it keeps y-websocket's idle watchdog fed). */
  private onAwarenessUpdate = (
    { added, updated, removed }: { added: number[]; updated: number[]; removed: number[] },
    origin: unknown,
  ) => {
    const changed = [...added, ...updated, ...removed];
    const from = origin as RoomMember | null;
    if (from && this.members.has(from)) {
      for (const id of [...added, ...updated]) from.clientIds.add(id);
      for (const id of removed) from.clientIds.delete(id);
    }
    const encoded = encodeAwarenessUpdate(this.awareness, changed);
    if (origin !== REMOTE) this.topic.publish({ kind: 'awareness', payload: encoded });
    const frame = awarenessFrame(encoded);
    for (const m of this.members) m.send(frame);
  };

  /** The awareness frame with every current state, for a newcomer; null when nobody is present. */
  awarenessSnapshot(): Uint8Array | null {
    const ids = [...this.awareness.getStates().keys()];
    return ids.length ? awarenessFrame(encodeAwarenessUpdate(this.awareness, ids)) : null;
  }

  /** Which connection published an awareness client id, if any. */
  ownerOf(clientId: number): RoomMember | null {
    for (const m of this.members) if (m.clientIds.has(clientId)) return m;
    return null;
  }

  /** An update or presence from another node: applied here (never stored again) and relayed to this node's members. */
  fromFanout(message: FanoutMessage): void {
    if (this.failed) return;
    try {
      if (message.kind === 'awareness') return applyAwarenessUpdate(this.awareness, message.payload, REMOTE);
      if (this.covers(Y.decodeUpdate(message.payload))) return; // never wake a hibernating document for nothing
      Y.applyUpdate(this.doc(this.hooks.now()), message.payload, REMOTE);
    } catch (e) {
      this.hooks.log('dropped a malformed fan-out message', { doc: this.name, error: String(e) });
    }
  }

  destroy(): void {
    this.topic.close();
    this.tally?.detach();
    this.live?.off('update', this.onDocUpdate);
    this.live?.destroy();
    this.live = null;
    this.state = null;
    this.stateVectorCache = null;
    this.svMapCache = null;
    this.deletedCache = null;
    this.awareness.destroy();
    this.awareness.doc.destroy();
  }
}
