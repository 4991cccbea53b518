// Client ids belong to the user whose connection first wrote under them, per document: a
// connection may add structs only under client ids it introduced itself or that its user already
// owns. Otherwise one member could claim the next clocks of another's client id (a GC struct of a
// few bytes), and the server would then ignore that user's offline edits at those clocks. Structs
// the document already has (a returning client's step 2 repeats them) claim nothing.
import * as Y from 'yjs';

type DecodedUpdate = ReturnType<typeof Y.decodeUpdate>;

export type ClaimVerdict = { ok: true; introduced: number[] } | { ok: false; clientId: number; message: string };

export function checkClientIds(
  { structs }: DecodedUpdate,
  state: (client: number) => number,
  owners: ReadonlyMap<number, string>,
  userId: string,
): ClaimVerdict {
  const introduced = new Set<number>();
  for (const s of structs) {
    if (s instanceof Y.Skip) continue;
    const client = s.id.client;
    if (s.id.clock + s.length <= state(client)) continue; // already in the document
    const owner = owners.get(client);
    if (owner === undefined) introduced.add(client);
    else if (owner !== userId) return { ok: false, clientId: client, message: `client id ${client} belongs to another user` };
  }
  return { ok: true, introduced: [...introduced] };
}
