// The update journal's record format (update-journal.ts): one record per group commit, so that a
// group is replayed whole or not at all. Little-endian:
//   u32 body length, u32 CRC-32 of the body, body:
//   f64 seq, f64 createdAt, u32 count, then per update:
//   u32 docName bytes, docName (UTF-8), u32 userId bytes (0xFFFFFFFF: null), userId, u32 update bytes, update.
// Reading stops at the first record that is short or fails its CRC: the tail a crash left in the
// middle of a write, never a record that was acknowledged (a record counts once it is written whole).
import { crc32 } from 'node:zlib';
import type { StoredUpdate } from '../../ports/update-store.ts';

export interface JournalGroup {
  seq: number;
  createdAt: number;
  updates: readonly StoredUpdate[];
}

const HEADER = 8;
const NULL_USER = 0xffffffff;

/** Throws a TypeError naming the field when `u` cannot be stored (what the table's NOT NULLs would refuse). */
function checkUpdate(u: StoredUpdate, i: number): void {
  if (typeof u?.docName !== 'string') throw new TypeError(`update ${i} of the group: docName must be a string`);
  if (!(u.update instanceof Uint8Array)) throw new TypeError(`update ${i} of the group (${u.docName}): update must be a Uint8Array`);
  if (u.userId !== null && typeof u.userId !== 'string') throw new TypeError(`update ${i} of the group (${u.docName}): userId must be a string or null`);
}

/**
 * One group as one record (validates every update first: a bad one throws, and nothing is encoded).
 * `copies`, when given, receives each update's bytes as a view into the record: the journal's own
 * copy, which the caller may go on changing its buffers without touching.
 */
export function encodeGroup(seq: number, createdAt: number, updates: readonly StoredUpdate[], copies?: StoredUpdate[]): Buffer {
  let size = HEADER + 20;
  updates.forEach((u, i) => {
    checkUpdate(u, i);
    size += 12 + Buffer.byteLength(u.docName) + (u.userId === null ? 0 : Buffer.byteLength(u.userId)) + u.update.byteLength;
  });
  const buf = Buffer.allocUnsafe(size);
  let at = HEADER;
  at = buf.writeDoubleLE(seq, at);
  at = buf.writeDoubleLE(createdAt, at);
  at = buf.writeUInt32LE(updates.length, at);
  for (const u of updates) {
    const docLen = buf.write(u.docName, at + 4);
    buf.writeUInt32LE(docLen, at);
    at += 4 + docLen;
    if (u.userId === null) at = buf.writeUInt32LE(NULL_USER, at);
    else {
      const userLen = buf.write(u.userId, at + 4);
      buf.writeUInt32LE(userLen, at);
      at += 4 + userLen;
    }
    at = buf.writeUInt32LE(u.update.byteLength, at);
    buf.set(u.update, at);
    copies?.push({ docName: u.docName, userId: u.userId, update: buf.subarray(at, at + u.update.byteLength) });
    at += u.update.byteLength;
  }
  buf.writeUInt32LE(size - HEADER, 0);
  buf.writeUInt32LE(crc32(buf.subarray(HEADER)), 4);
  return buf;
}

export interface DecodedJournal {
  groups: JournalGroup[];
  /** Bytes of whole records read; anything after them (`torn` bytes) was cut off by a crash. */
  validBytes: number;
  tornBytes: number;
}

/** Every whole record of a journal file's bytes, in order (updates copied out of `bytes`). */
export function decodeJournal(bytes: Uint8Array): DecodedJournal {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const groups: JournalGroup[] = [];
  let at = 0;
  while (at + HEADER <= buf.length) {
    const len = buf.readUInt32LE(at);
    if (len < 20 || at + HEADER + len > buf.length) break;
    const body = buf.subarray(at + HEADER, at + HEADER + len);
    if (crc32(body) !== buf.readUInt32LE(at + 4)) break;
    const group = decodeBody(body);
    if (!group) break;
    groups.push(group);
    at += HEADER + len;
  }
  return { groups, validBytes: at, tornBytes: buf.length - at };
}

function decodeBody(body: Buffer): JournalGroup | null {
  const seq = body.readDoubleLE(0);
  const createdAt = body.readDoubleLE(8);
  const count = body.readUInt32LE(16);
  const updates: StoredUpdate[] = [];
  let at = 20;
  const take = (n: number) => {
    if (at + n > body.length) throw new RangeError('record body too short');
    const s = body.subarray(at, at + n);
    at += n;
    return s;
  };
  try {
    for (let i = 0; i < count; i++) {
      const docName = take(take(4).readUInt32LE(0)).toString('utf8');
      const userLen = take(4).readUInt32LE(0);
      const userId = userLen === NULL_USER ? null : take(userLen).toString('utf8');
      const update = new Uint8Array(take(take(4).readUInt32LE(0)));
      updates.push({ docName, update, userId });
    }
  } catch {
    return null; // a CRC-valid body that does not parse: not a record this code wrote
  }
  return at === body.length ? { seq, createdAt, updates } : null;
}
