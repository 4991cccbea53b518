// What the core does with one frame from a connection: size limit, message type dispatch, sync
// step 1 / step 2 / update (validate fully, ignore what adds nothing without waking the document,
// read-only denial, authorship check, apply) and awareness (the forgery check). A frame that does
// not parse closes that one connection with 4400.
import * as decoding from 'lib0/decoding';
import * as Y from 'yjs';
import { applyAwarenessUpdate } from 'y-protocols/awareness';
import { checkAuthorship } from './authorship.ts';
import type { Connection } from './connection.ts';
import {
  CLOSE, MESSAGE, SYNC, claimedUserId, permissionDeniedFrame, readAwarenessEntries, syncStep2Frame, writeAwarenessEntries,
  type CloseCode,
} from './protocol.ts';
import type { Room } from './room.ts';
import type { SyncOptions } from './types.ts';

/** What frame handling needs from the core. */
export interface FrameHost {
  readonly opts: SyncOptions;
  drop(conn: Connection, code: CloseCode, reason: string): void;
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
    // What the server holds now; sent once all of it is durable (changes may be queued).
    const reply = syncStep2Frame(room.diff(sv));
    room.whenDurable(() => conn.send(reply));
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
  const doc = room.doc(host.opts.now());
  if (checkAuthorship(doc, decoded, conn.userId) === 'forged') {
    host.opts.log('dropped an update with forged authorship', { doc: room.name, user: conn.userId });
    return host.drop(conn, CLOSE.badFrame, 'forged authorship');
  }
  Y.applyUpdate(doc, update, conn);
  if (room.failed) return;
  host.written(room);
}

/** Keeps only entries whose state names the connection's own user and whose client id is not someone else's. */
function onAwareness(host: FrameHost, conn: Connection, update: Uint8Array): void {
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
  if (forged) host.opts.log('dropped forged awareness states', { doc: room.name, user: conn.userId, forged });
  if (kept.length) applyAwarenessUpdate(room.awareness, writeAwarenessEntries(kept), conn);
}
