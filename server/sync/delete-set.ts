// Delete-set coverage arithmetic, pure: whether an update adds nothing to a document (every
// struct's clock range already in the state vector, every deleted range already deleted), over
// either a live Y.Doc or the sorted deleted ranges of an encoded state. A returning client's sync
// step 2 repeats the whole delete set, so this decides whether a hibernating document must wake.
import * as Y from 'yjs';

export type DecodedUpdate = ReturnType<typeof Y.decodeUpdate>;

export interface ClockRange {
  clock: number;
  len: number;
}

/** Deleted clock ranges per client, sorted by clock. */
export type DeletedRanges = Map<number, ReadonlyArray<ClockRange>>;

/** A delete set's ranges per client, sorted by clock (Yjs does not promise an order). */
export const sortedRanges = (ds: DecodedUpdate['ds']): DeletedRanges =>
  new Map([...ds.clients].map(([client, rs]) => [client, rs.slice().sort((a, b) => a.clock - b.clock)]));

/** Whether [clock, clock + len) lies inside the union of `ranges` (sorted by clock, possibly overlapping). */
export function rangeCovered(ranges: ReadonlyArray<ClockRange> | undefined, clock: number, len: number): boolean {
  if (!ranges || ranges.length === 0) return false;
  let lo = 0;
  let hi = ranges.length - 1;
  let at = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (ranges[mid].clock <= clock) (at = mid), (lo = mid + 1);
    else hi = mid - 1;
  }
  if (at < 0) return false;
  let reached = clock;
  const end = clock + len;
  for (let i = at; i < ranges.length && reached < end; i++) {
    if (ranges[i].clock > reached) return false;
    reached = Math.max(reached, ranges[i].clock + ranges[i].len);
  }
  return reached >= end;
}

/** Whether every struct in [clock, clock + len) of a live document is deleted. */
export function liveRangeDeleted(doc: Y.Doc, client: number, clock: number, len: number): boolean {
  const structs = doc.store.clients.get(client);
  if (!structs || len === 0) return len === 0;
  const end = clock + len;
  if (end > Y.getState(doc.store, client)) return false;
  for (let i = Y.findIndexSS(structs, clock); i < structs.length && structs[i].id.clock < end; i++) {
    const s = structs[i];
    if (s instanceof Y.Item && !s.deleted) return false;
  }
  return true;
}

/** A document as the coverage test sees it: its state per client and which ranges are deleted. */
export interface CoverageView {
  state(client: number): number;
  deleted(client: number, clock: number, len: number): boolean;
}

/** Whether `update` adds nothing to the document `view` describes. */
export function addsNothing({ structs, ds }: DecodedUpdate, view: CoverageView): boolean {
  for (const s of structs) {
    if (s instanceof Y.Skip) continue;
    if (s.id.clock + s.length > view.state(s.id.client)) return false;
  }
  for (const [client, ranges] of ds.clients) for (const r of ranges) if (!view.deleted(client, r.clock, r.len)) return false;
  return true;
}

/** The coverage view of a live document. */
export const liveView = (doc: Y.Doc): CoverageView => ({
  state: (client) => Y.getState(doc.store, client),
  deleted: (client, clock, len) => liveRangeDeleted(doc, client, clock, len),
});

/**
 * The coverage view of an encoded state: its decoded state vector, and its deleted ranges, made
 * only when first asked for (decoding a large state's delete set is the expensive part).
 */
export const encodedView = (stateVector: Map<number, number>, deleted: () => DeletedRanges): CoverageView => ({
  state: (client) => stateVector.get(client) ?? 0,
  deleted: (client, clock, len) => rangeCovered(deleted().get(client), clock, len),
});
