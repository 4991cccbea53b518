// The wire vocabulary of the sync socket: y-websocket message types, named close codes, and the
// encoders/decoders the core uses (sync, awareness entries, permission denied). Byte grammar in
// docs/sync.md.
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { writePermissionDenied } from 'y-protocols/auth';
import * as syncProtocol from 'y-protocols/sync';

/** First varUint of every frame (y-websocket). */
export const MESSAGE = { sync: 0, awareness: 1, auth: 2, queryAwareness: 3 } as const;
/** Second varUint of a sync frame (y-protocols/sync). */
export const SYNC = {
  step1: syncProtocol.messageYjsSyncStep1,
  step2: syncProtocol.messageYjsSyncStep2,
  update: syncProtocol.messageYjsUpdate,
} as const;

/**
 * Close codes. 4400–4499 are permanent: y-websocket 3.x stops reconnecting on them. The others
 * are transient and the client reconnects with backoff.
 */
export const CLOSE = {
  /** A frame that does not parse, an unknown message type, a text frame. */
  badFrame: 4400,
  /** No valid session cookie or `?token=`. */
  unauthenticated: 4401,
  /** Signed in, but no access to this document, or no such document. */
  forbidden: 4403,
  /** A frame above the size limit. */
  tooLarge: 4413,
  /** Server shutting down. */
  goingAway: 1001,
  /** The document could not be persisted; reconnect and resend. */
  internal: 1011,
  /** The client did not read fast enough (send buffer over the limit); it may reconnect. */
  slow: 1013,
} as const;
export type CloseCode = (typeof CLOSE)[keyof typeof CLOSE];

const frame = (write: (e: encoding.Encoder) => void): Uint8Array => {
  const e = encoding.createEncoder();
  write(e);
  return encoding.toUint8Array(e);
};

/** Sync step 1 from a state vector (the room may hold only the encoded state, not a Y.Doc). */
export const syncStep1Frame = (stateVector: Uint8Array) =>
  frame((e) => {
    encoding.writeVarUint(e, MESSAGE.sync);
    encoding.writeVarUint(e, SYNC.step1);
    encoding.writeVarUint8Array(e, stateVector);
  });

/** Sync step 2 carrying what the peer lacks. */
export const syncStep2Frame = (diff: Uint8Array) =>
  frame((e) => {
    encoding.writeVarUint(e, MESSAGE.sync);
    encoding.writeVarUint(e, SYNC.step2);
    encoding.writeVarUint8Array(e, diff);
  });

export const updateFrame = (update: Uint8Array) =>
  frame((e) => {
    encoding.writeVarUint(e, MESSAGE.sync);
    syncProtocol.writeUpdate(e, update);
  });

export const awarenessFrame = (awarenessUpdate: Uint8Array) =>
  frame((e) => {
    encoding.writeVarUint(e, MESSAGE.awareness);
    encoding.writeVarUint8Array(e, awarenessUpdate);
  });

export const permissionDeniedFrame = (reason: string) =>
  frame((e) => {
    encoding.writeVarUint(e, MESSAGE.auth);
    writePermissionDenied(e, reason);
  });

/** One entry of an awareness update: a client id, its clock and its state (null = gone). */
export interface AwarenessEntry {
  clientId: number;
  clock: number;
  state: unknown;
}

/** Parses an awareness update; throws on malformed bytes or JSON. */
export function readAwarenessEntries(update: Uint8Array): AwarenessEntry[] {
  const d = decoding.createDecoder(update);
  const n = decoding.readVarUint(d);
  const out: AwarenessEntry[] = [];
  for (let i = 0; i < n; i++) {
    const clientId = decoding.readVarUint(d);
    const clock = decoding.readVarUint(d);
    const state: unknown = JSON.parse(decoding.readVarString(d));
    out.push({ clientId, clock, state });
  }
  return out;
}

export const writeAwarenessEntries = (entries: readonly AwarenessEntry[]) =>
  frame((e) => {
    encoding.writeVarUint(e, entries.length);
    for (const x of entries) {
      encoding.writeVarUint(e, x.clientId);
      encoding.writeVarUint(e, x.clock);
      encoding.writeVarString(e, JSON.stringify(x.state));
    }
  });

/** The user id an awareness state claims (`state.user.id`), or null. */
export function claimedUserId(state: unknown): string | null {
  if (!state || typeof state !== 'object') return null;
  const user = (state as { user?: unknown }).user;
  if (!user || typeof user !== 'object') return null;
  const id = (user as { id?: unknown }).id;
  return typeof id === 'string' ? id : null;
}
