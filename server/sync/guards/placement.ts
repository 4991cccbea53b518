// Whether an update fits the document it is sent to: every struct continues its client's clock
// (no gap), everything it builds on (origins, parent) exists in the document or earlier in the same
// update, and every range it deletes exists once its structs are in. Yjs would otherwise keep the
// rest "pending" and apply it later, inside someone else's update: deletions of a victim's future
// edits, or content judged under another sender. Linear in the update, no change to the document:
// the same dependency walk as Yjs's integrateStructs, one struct at a time.
import * as Y from 'yjs';

type DecodedUpdate = ReturnType<typeof Y.decodeUpdate>;
type Struct = DecodedUpdate['structs'][number];

/** When it does not fit: why, and the clients whose missing clocks it builds on or deletes. */
export type PlacementVerdict = { ok: true } | { ok: false; message: string; missing: number };

/** `state(client)`: the document's next clock for that client (Y.getState). */
export function checkPlacement({ structs, ds }: DecodedUpdate, state: (client: number) => number): PlacementVerdict {
  const byClient = new Map<number, Struct[]>();
  for (const s of structs) {
    const list = byClient.get(s.id.client);
    if (list) list.push(s);
    else byClient.set(s.id.client, [s]);
  }
  const avail = new Map<number, number>();
  const availOf = (c: number) => avail.get(c) ?? state(c);
  const pos = new Map<number, number>();
  const next = (c: number): Struct | null => {
    const list = byClient.get(c);
    const i = pos.get(c) ?? 0;
    if (!list || i >= list.length) return null;
    pos.set(c, i + 1);
    return list[i];
  };
  const fail = (message: string, missing: number): PlacementVerdict => ({ ok: false, message, missing });

  for (const client of byClient.keys()) {
    const stack: Struct[] = [];
    let head = next(client);
    while (head) {
      const c = head.id.client;
      if (head instanceof Y.Skip) {
        head = stack.pop() ?? next(client);
        continue;
      }
      if (head.id.clock > availOf(c)) return fail(`client ${c} continues at clock ${head.id.clock}, the document has ${availOf(c)}`, c);
      let waitFor: number | null = null;
      if (head instanceof Y.Item) {
        const parent = head.parent instanceof Y.ID ? head.parent : null;
        for (const dep of [head.origin, head.rightOrigin, parent]) {
          if (!dep) continue;
          if (dep.client === c) {
            if (dep.clock >= head.id.clock) return fail(`client ${c} at clock ${head.id.clock} refers to its own later clock ${dep.clock}`, c);
            continue;
          }
          if (dep.clock >= availOf(dep.client)) {
            waitFor = dep.client;
            break;
          }
        }
      }
      if (waitFor !== null) {
        const dep = next(waitFor);
        if (!dep) return fail(`client ${c} at clock ${head.id.clock} builds on content of client ${waitFor} the document does not have`, waitFor);
        stack.push(head);
        head = dep;
        continue;
      }
      avail.set(c, Math.max(availOf(c), head.id.clock + head.length));
      head = stack.pop() ?? next(client);
    }
  }
  for (const [client, ranges] of ds.clients) {
    const end = availOf(client);
    for (const r of ranges) {
      if (r.len > 0 && r.clock + r.len > end) return fail(`deletes clocks ${r.clock}–${r.clock + r.len - 1} of client ${client}, the document has ${end}`, client);
    }
  }
  return { ok: true };
}
