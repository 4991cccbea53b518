// Everything a writer's update must pass before it touches the live document, in order: client ids
// its user owns (or new ones), a placement that leaves nothing pending, the document size limit,
// and for `cmt:` documents the authorship judgement on the resulting state. A refusal changes
// nothing; `commit()` records the client ids the update introduces (before it is applied, so the
// binding is on disk before anything relayed depends on it).
import * as Y from 'yjs';
import type { Room } from '../room.ts';
import { CLOSE, type CloseCode } from '../protocol.ts';
import type { SyncOptions } from '../types.ts';
import { checkClientIds } from './client-ids.ts';
import { commentTrial } from './comment-trial.ts';
import { checkPlacement } from './placement.ts';

type DecodedUpdate = ReturnType<typeof Y.decodeUpdate>;

export interface WriteHost {
  readonly opts: Pick<SyncOptions, 'limits' | 'clientIds'>;
  compact(docName: string): Promise<void>;
}

export type WriteVerdict =
  | { ok: true; commit(): void }
  | { ok: false; code: 'client_id' | 'unplaceable' | 'too_large' | 'forged' | 'incomplete'; close: CloseCode; reason: string; message: string };

/** Owners of client ids per loaded room, read from the registry on the room's first use. */
const owners = new WeakMap<Room, Map<number, string>>();

export function ownersOf(host: WriteHost, room: Room): Map<number, string> {
  let known = owners.get(room);
  if (!known) owners.set(room, (known = host.opts.clientIds.owners(room.name)));
  return known;
}

/** Binds client ids without an owner to `userId`, durably, then in the room's cache. */
export function bindClientIds(host: WriteHost, room: Room, ids: readonly number[], userId: string): void {
  if (!ids.length) return;
  const known = ownersOf(host, room);
  host.opts.clientIds.bind(room.name, ids, userId);
  for (const id of ids) if (!known.has(id)) known.set(id, userId);
}

const mib = (n: number) => `${Math.round((n / 1024 / 1024) * 10) / 10} MiB`;

export function judgeWrite(host: WriteHost, room: Room, doc: Y.Doc, userId: string, update: Uint8Array, decoded: DecodedUpdate): WriteVerdict {
  const state = (client: number) => Y.getState(doc.store, client);
  const known = ownersOf(host, room);
  const claims = checkClientIds(decoded, state, known, userId);
  if (!claims.ok) return { ok: false, code: 'client_id', close: CLOSE.badFrame, reason: 'client id of another user', message: claims.message };

  const placed = checkPlacement(decoded, state);
  if (!placed.ok) {
    // Another user's content that the server lacks cannot exist on an honest client (it has it
    // from the server): deleting or building on it aims at that user's future edits.
    const owner = known.get(placed.missing);
    if (owner !== undefined && owner !== userId) {
      return { ok: false, code: 'client_id', close: CLOSE.badFrame, reason: 'deletes or builds on content that does not exist', message: placed.message };
    }
    return { ok: false, code: 'unplaceable', close: CLOSE.badFrame, reason: 'incomplete update', message: placed.message };
  }

  const limit = host.opts.limits.maxDocBytes;
  if (room.bytes + update.byteLength > limit) {
    // What the document would gain (a returning client's step 2 repeats much of what is stored),
    // against its size once compacted (the log also holds overwritten history).
    const growth = Y.diffUpdate(update, Y.encodeStateVector(doc)).byteLength;
    if (room.bytes + growth > limit) {
      const size = Y.encodeStateAsUpdate(doc).byteLength;
      if (room.rows > 1 && size < room.bytes) void host.compact(room.name);
      if (size + growth > limit) {
        return {
          ok: false, code: 'too_large', close: CLOSE.tooLarge,
          reason: `document size limit reached (${mib(limit)}): this change was not saved`,
          message: `document of ${size} bytes + ${growth} > ${limit}`,
        };
      }
    }
  }

  if (room.name.startsWith('cmt:')) {
    const v = commentTrial(doc).judge(update, userId);
    if (!v.ok) {
      return v.code === 'forged'
        ? { ok: false, code: 'forged', close: CLOSE.badFrame, reason: 'forged authorship', message: v.message }
        : { ok: false, code: 'incomplete', close: CLOSE.badFrame, reason: 'incomplete update', message: v.message };
    }
  }
  const introduced = claims.introduced;
  return {
    ok: true,
    commit: () => bindClientIds(host, room, introduced, userId),
  };
}
