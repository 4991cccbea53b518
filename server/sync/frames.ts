// What the core does with one frame from a connection: size limit, message type dispatch, sync
// step 1 / step 2 / update (validate fully, ignore what adds nothing without waking the document,
// read-only denial, authorship check, apply) and awareness (the forgery check). A frame that does
// not parse closes that one connection with 4400.
import * as decoding from 'lib0/decoding';
import * as Y from 'yjs';
import { applyAwarenessUpdate } from 'y-protocols/awareness';
import type { Connection } from './connection.ts';
import { bindClientIds, judgeWrite, ownersOf } from './guards/write.ts';
import { checkUpdateShape } from './guards/update-shape.ts';
import {
  CLOSE, MESSAGE, SYNC, claimedUserId, permissionDeniedFrame, readAwarenessEntries, syncStep1Frame, syncStep2Frame, writeAwarenessEntries,
  type CloseCode,
} from './protocol.ts';
import type { Room } from './room.ts';
import type { SyncOptions } from './types.ts';

/** What frame handling needs from the core. */
export interface FrameHost {
  readonly opts: SyncOptions;
  drop(conn: Connection, code: CloseCode, reason: string): void;
  /** Compacts a document's log (after the queued writes). */
  compact(docName: string): Promise<void>;
  /** Called after a connection's update was applied (and appended): compaction may be due. */
  written(room: Room): void;
}

export function receiveFrame(host: FrameHost, conn: Connection, frame: Uint8Array): void {
  if (frame.byteLength > host.opts.maxFrameBytes) return host.drop(conn, CLOSE.tooLarge, 'frame too large');
  try {
    const d = decoding.createDecoder(frame);
    const type = decoding.readVarUint(d);
    switch (type) {
      case MESSAGE.sync:
        return onSync(host, conn, d);
      case MESSAGE.awareness:
        return onAwareness(host, conn, decoding.readVarUint8Array(d));
      case MESSAGE.queryAwareness: {
        const presence = conn.room.awarenessSnapshot();
        if (presence) conn.send(presence);
        return;
      }
      case MESSAGE.auth:
        return; // only servers send auth messages; ignore
      default:
        return host.drop(conn, CLOSE.badFrame, `unknown message type ${type}`);
    }
  } catch {
    host.drop(conn, CLOSE.badFrame, 'malformed frame');
  }
}

function onSync(host: FrameHost, conn: Connection, d: decoding.Decoder): void {
  const room = conn.room;
  const kind = decoding.readVarUint(d);
  if (kind === SYNC.step1) {
    const sv = decoding.readVarUint8Array(d);
    Y.decodeStateVector(sv); // throws on malformed bytes
    // Once per state of the document: a repeated step 1 would make the server send the document
    // again and again for a few bytes each.
    if (conn.answeredAt === room.changes) return;
    conn.answeredAt = room.changes;
    // What the server holds now; sent once all of it is durable (changes may be queued).
    const reply = syncStep2Frame(room.diff(sv));
    room.whenDurable(() => conn.send(reply));
    return;
  }
  if (kind !== SYNC.step2 && kind !== SYNC.update) throw new Error(`unknown sync message ${kind}`);
  const update = decoding.readVarUint8Array(d);
  // Validate fully before touching the document: a truncated update could apply partly.
  const decoded = Y.decodeUpdate(update);
  // Caps and a delete set without overlapping ranges, before any per-struct or per-range work.
  const shape = checkUpdateShape(decoded, host.opts.limits);
  if (!shape.ok) return refuse(host, conn, shape.code === 'too_large' ? CLOSE.tooLarge : CLOSE.badFrame, shape.message);
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
  const doc = room.doc(host.opts.now());
  const verdict = judgeWrite(host, room, doc, conn.userId, update, decoded);
  if (!verdict.ok) {
    if (verdict.code === 'unplaceable' && kind === SYNC.update) {
      // Builds on content the server lacks: typically an edit sent before this client's answer to
      // the server's step 1, which carries everything. Dropped, and the client asked (once per
      // state) for everything the server lacks, which arrives self-contained.
      if (conn.resyncAt !== room.changes) {
        conn.resyncAt = room.changes;
        conn.send(syncStep1Frame(room.stateVector()));
      }
      return;
    }
    return refuse(host, conn, verdict.close, verdict.reason, verdict.message);
  }
  verdict.commit();
  Y.applyUpdate(doc, update, conn);
  if (doc.store.pendingStructs || doc.store.pendingDs) {
    // The placement check mirrors Yjs; should Yjs still keep something pending, it is dropped
    // here (never applied later inside someone else's update) and the sender closed.
    doc.store.pendingStructs = null;
    doc.store.pendingDs = null;
    host.opts.log('dropped the pending rest of an update', { doc: room.name, user: conn.userId });
    return host.drop(conn, CLOSE.badFrame, 'incomplete update');
  }
  if (room.failed) return;
  host.written(room);
}

/** Closes a connection whose update is refused (nothing stored, nothing relayed), with a log line. */
function refuse(host: FrameHost, conn: Connection, code: CloseCode, reason: string, detail = reason): void {
  host.opts.log(`refused an update: ${detail}`, { doc: conn.room.name, user: conn.userId });
  host.drop(conn, code, reason);
}

/** Keeps only entries whose state names the connection's own user and whose client id is not someone else's. */
function onAwareness(host: FrameHost, conn: Connection, update: Uint8Array): void {
  const room = conn.room;
  const entries = readAwarenessEntries(update);
  const { maxAwarenessClients, maxAwarenessStateBytes } = host.opts.limits;
  let forged = 0;
  let over = 0;
  let owned = conn.clientIds.size;
  const bound = ownersOf(host, room);
  const introduced: number[] = [];
  const kept = entries.filter((e) => {
    // y-websocket clients echo the states they received from others: drop those quietly.
    const owner = room.ownerOf(e.clientId);
    if (owner && owner !== conn) return false;
    if (e.state === null) return true;
    const claimed = claimedUserId(e.state);
    if (claimed !== null && claimed !== conn.userId) forged++;
    if (claimed !== conn.userId) return false; // a state without a user (y-websocket's initial `{}`) is dropped quietly
    // A tab publishes one client id and a small state; more is kept from nobody.
    if (JSON.stringify(e.state).length > maxAwarenessStateBytes) return (over++, false);
    if (!owner) {
      // A tab announces its document client id here before it writes: it is bound to the user now,
      // so nobody who saw it in presence can claim it first.
      const docOwner = bound.get(e.clientId);
      if (docOwner !== undefined && docOwner !== conn.userId) return (forged++, false);
      if (owned >= maxAwarenessClients) return (over++, false);
      owned++;
      if (docOwner === undefined) introduced.push(e.clientId);
    }
    return true;
  });
  bindClientIds(host, room, introduced, conn.userId);
  if (forged) host.opts.log('dropped forged awareness states', { doc: room.name, user: conn.userId, forged });
  if (over) host.opts.log('dropped awareness states over the limits', { doc: room.name, user: conn.userId, over });
  if (kept.length) applyAwarenessUpdate(room.awareness, writeAwarenessEntries(kept), conn);
}
