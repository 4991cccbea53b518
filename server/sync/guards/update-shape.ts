// Cheap checks on a decoded update before any per-struct or per-range work on a document: caps on
// how many structs and delete ranges one update may carry, and a delete set whose ranges do not
// overlap. Yjs writes delete sets sorted and merged; one that lists a range many times would cost
// ranges × items in every later loop (Yjs's own included), so it is refused, not repaired.
import type * as Y from 'yjs';

type DecodedUpdate = ReturnType<typeof Y.decodeUpdate>;

export interface UpdateLimits {
  /** Structs (runs of inserted content) one update may carry. */
  maxStructs: number;
  /** Delete ranges one update may carry, over all clients. */
  maxDeleteRanges: number;
}

export const UPDATE_LIMITS = { maxStructs: 200_000, maxDeleteRanges: 200_000 } as const satisfies UpdateLimits;

export type ShapeVerdict = { ok: true } | { ok: false; code: 'too_large' | 'malformed'; message: string };

export function checkUpdateShape({ structs, ds }: DecodedUpdate, limits: UpdateLimits): ShapeVerdict {
  if (structs.length > limits.maxStructs) {
    return { ok: false, code: 'too_large', message: `${structs.length} structs in one update (at most ${limits.maxStructs})` };
  }
  let ranges = 0;
  for (const rs of ds.clients.values()) ranges += rs.length;
  if (ranges > limits.maxDeleteRanges) {
    return { ok: false, code: 'too_large', message: `${ranges} delete ranges in one update (at most ${limits.maxDeleteRanges})` };
  }
  for (const [client, rs] of ds.clients) {
    let sorted = true;
    for (let i = 1; i < rs.length && sorted; i++) sorted = rs[i - 1].clock <= rs[i].clock;
    const list = sorted ? rs : rs.slice().sort((a, b) => a.clock - b.clock);
    for (let i = 1; i < list.length; i++) {
      if (list[i].clock < list[i - 1].clock + list[i - 1].len) {
        return { ok: false, code: 'malformed', message: `overlapping delete ranges for client ${client} at clock ${list[i].clock}` };
      }
    }
  }
  return { ok: true };
}
