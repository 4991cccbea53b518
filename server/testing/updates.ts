// Hand-made Yjs updates (V1 encoding) for attack tests: delete sets written as given, which no
// Yjs encoder would produce (repeated or overlapping ranges, clocks the document lacks), and GC
// structs claiming clocks of any client id.
import * as encoding from 'lib0/encoding';

type Range = readonly [client: number, clock: number, len: number];

function writeDeleteSet(e: encoding.Encoder, ranges: readonly Range[]): void {
  // consecutive ranges of one client share a block; a decoder appends repeated blocks anyway
  const blocks: Array<{ client: number; ranges: Range[] }> = [];
  for (const r of ranges) {
    const last = blocks[blocks.length - 1];
    if (last && last.client === r[0]) last.ranges.push(r);
    else blocks.push({ client: r[0], ranges: [r] });
  }
  encoding.writeVarUint(e, blocks.length);
  for (const b of blocks) {
    encoding.writeVarUint(e, b.client);
    encoding.writeVarUint(e, b.ranges.length);
    for (const [, clock, len] of b.ranges) {
      encoding.writeVarUint(e, clock);
      encoding.writeVarUint(e, len);
    }
  }
}

/** An update with no structs and a delete set of `[client, clock, len]` ranges, in the order given. */
export function deleteOnlyUpdate(ranges: readonly Range[]): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, 0); // no struct blocks
  writeDeleteSet(e, ranges);
  return encoding.toUint8Array(e);
}

/** An update of one GC struct claiming `[clock, clock + len)` of `client` (a few bytes). */
export function gcClaimUpdate(client: number, clock: number, len: number): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, 1); // one client
  encoding.writeVarUint(e, 1); // one struct
  encoding.writeVarUint(e, client);
  encoding.writeVarUint(e, clock);
  encoding.writeUint8(e, 0); // GC
  encoding.writeVarUint(e, len);
  writeDeleteSet(e, []);
  return encoding.toUint8Array(e);
}
