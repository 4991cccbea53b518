// The life of loaded documents after their connections: compaction (past `compactAfter` rows, and
// before an idle document is unloaded), hibernation of live Y.Docs nobody wrote to, unloading
// documents nobody is connected to, and tearing a room down (its connections closed with a code).
// Compactions run in the commit queue, after the writes queued before them.
import type { CommitQueue } from './commit-queue.ts';
import type { Connection } from './connection.ts';
import type { CloseCode } from './protocol.ts';
import { CLOSE } from './protocol.ts';
import type { Room } from './room.ts';
import type { SyncOptions } from './types.ts';

/** What the lifecycle needs from the core. */
export interface LifecycleHost {
  readonly opts: SyncOptions;
  readonly rooms: Map<string, Room>;
  readonly queue: CommitQueue;
  drop(conn: Connection, code: CloseCode, reason: string): void;
}

/** Closes every connection of a room with `code`, forgets it and frees its document. */
export function unloadRoom(host: LifecycleHost, room: Room, code: CloseCode, reason: string): void {
  for (const m of [...room.members]) host.drop(m as Connection, code, reason);
  if (host.rooms.get(room.name) === room) host.rooms.delete(room.name);
  room.destroy();
}

/**
 * Compacts one document's log after the writes queued so far (from memory when it is loaded and
 * healthy: the state held now is the log once those writes are in). Failures are logged.
 */
export async function compactDoc(host: LifecycleHost, docName: string): Promise<void> {
  const room = host.rooms.get(docName);
  // A loaded document compacts from memory (no second decode of the log) unless it failed.
  // (with what its own transactions did to the shapes since the compacted row: no second decode for provenance)
  const current = room && !room.failed ? { ...room.snapshot(), rows: room.rows, provenance: room.tally?.take() } : undefined;
  const rowsThen = room?.rows ?? 0;
  const bytesThen = room?.bytes ?? 0;
  try {
    const r = await host.queue.exclusive(() => host.opts.store.compact(docName, current));
    // rows appended since the snapshot was taken come after the compacted one
    // the tally restarted at the snapshot: it holds only if the log compacted was the state snapshotted
    if (current && r.rowsBefore !== current.rows) room?.tally?.forget();
    if (room) {
      room.rows = r.rowsAfter + Math.max(0, room.rows - rowsThen);
      room.bytes = r.bytesAfter + Math.max(0, room.bytes - bytesThen);
    }
  } catch (e) {
    room?.tally?.forget();
    host.opts.log('compaction failed', { doc: docName, error: String(e) });
  }
}

/**
 * After a write: once the log passed the threshold, compacts the room when it has been quiet for
 * `compactQuietMs` (a compaction queues the commits behind it, so none runs in the middle of a
 * burst), or on the next turn past four times the threshold.
 */
export function compactIfDue(host: LifecycleHost, room: Room): void {
  const { compactAfter, compactQuietMs, now } = host.opts;
  if (room.rows <= compactAfter) return;
  room.writtenAt = now();
  if (room.compacting) return;
  room.compacting = true;
  const check = () => {
    if (host.rooms.get(room.name) !== room || room.rows <= compactAfter) return void (room.compacting = false);
    const wait = room.writtenAt + compactQuietMs - now();
    if (wait > 0 && room.rows <= compactAfter * 4) return void setTimeout(check, wait).unref();
    void compactDoc(host, room.name).finally(() => (room.compacting = false));
  };
  if (compactQuietMs <= 0 || room.rows > compactAfter * 4) setImmediate(check);
  else setTimeout(check, compactQuietMs).unref();
}

/**
 * Rooms unloaded per turn of the event loop. Each takes its snapshot and queues its compaction as it
 * goes: a thousand documents going idle at once would otherwise encode all their states in one tick
 * (a stall of every socket) and queue a thousand compactions together.
 */
export const UNLOAD_BATCH = 25;

/** The unloads a host still has to run (spread over later turns), so that `flush` can wait for them. */
const spreading = new WeakMap<LifecycleHost, Promise<void>>();

/** Resolves once the unloads started so far have run (their compactions are queued by then). */
export const unloadsDone = (host: LifecycleHost): Promise<void> => spreading.get(host) ?? Promise.resolve();

const isIdle = (host: LifecycleHost, room: Room, force: boolean, now: number) =>
  host.rooms.get(room.name) === room &&
  room.members.size === 0 &&
  room.emptySince != null &&
  (force || now - room.emptySince >= host.opts.idleUnloadMs);

/**
 * Unloads the documents nobody is connected to (for `idleUnloadMs`, or now with `force`), each
 * compacted on its way out; returns how many. The first `UNLOAD_BATCH` go at once, the rest a
 * batch per turn, each checked again first (a room someone joined meanwhile stays).
 */
export function unloadIdle(host: LifecycleHost, force = false): number {
  const now = host.opts.now();
  const idle = [...host.rooms.values()].filter((room) => isIdle(host, room, force, now));
  const unload = (batch: Room[]) => {
    for (const room of batch) {
      if (!isIdle(host, room, force, now)) continue;
      if (room.rows > 1) void compactDoc(host, room.name); // takes its snapshot now, writes after the queued appends
      unloadRoom(host, room, CLOSE.goingAway, 'idle');
    }
  };
  unload(idle.slice(0, UNLOAD_BATCH));
  if (idle.length > UNLOAD_BATCH) {
    const rest = idle.slice(UNLOAD_BATCH);
    const before = unloadsDone(host);
    const done = (async () => {
      await before;
      for (let i = 0; i < rest.length; i += UNLOAD_BATCH) {
        await new Promise<void>((resolve) => setImmediate(resolve));
        unload(rest.slice(i, i + UNLOAD_BATCH));
      }
    })();
    spreading.set(host, done);
    void done.finally(() => spreading.get(host) === done && spreading.delete(host));
  }
  return idle.length;
}

export function hibernateIdle(host: LifecycleHost, force = false): number {
  const now = host.opts.now();
  let n = 0;
  for (const room of host.rooms.values()) {
    if (room.hibernating || (!force && now - room.usedAt < host.opts.hibernateMs)) continue;
    room.hibernate();
    n++;
  }
  return n;
}

/** Runs unloading and hibernation on a timer (unref'd); returns the function that stops it. */
export function startLifecycleTimer(host: LifecycleHost): () => void {
  const { idleUnloadMs, hibernateMs } = host.opts;
  const every = Math.max(50, Math.min(idleUnloadMs / 2, hibernateMs / 2, 10_000));
  const timer = setInterval(() => (unloadIdle(host), hibernateIdle(host)), every);
  timer.unref?.();
  return () => clearInterval(timer);
}
