// Reads the entries of an uploaded .zip without trusting it: the central directory is checked
// before anything is inflated (entry count, each entry's data inside the archive, no two entries
// sharing bytes, stored sizes consistent, declared sizes within the limits), and each entry is
// inflated in small steps with a hard cap on its output (its declared size and what is left of the
// request's total), so a lying header or a quine-like archive stops at the limit instead of
// filling memory. Errors are `payload_too_large` (over a limit) or `validation` (malformed).
import { Inflate } from 'fflate';
import { AppError } from '../../shared/errors.ts';

export interface ZipLimits {
  /** Largest entry, unpacked. */
  maxEntryBytes: number;
  /** All entries of all archives of the request, unpacked. */
  maxTotalBytes: number;
  /** Entries per archive. */
  maxEntries: number;
}

export interface ZipEntry {
  name: string;
  bytes: Uint8Array;
}

const SIG = { local: 0x04034b50, central: 0x02014b50, end: 0x06054b50 } as const;
/** Compressed bytes fed to the inflater per step: bounds the overshoot past a cap (deflate's ratio is at most ~1032:1). */
const STEP = 4096;

const tooLarge = (m: string) => new AppError('payload_too_large', m);
const malformed = (m: string) => new AppError('validation', m);

interface Central {
  name: string;
  method: number;
  flags: number;
  compressed: number;
  size: number;
  local: number;
}

function centralDirectory(zip: Uint8Array, archive: string, limits: ZipLimits): { entries: Central[]; cdOffset: number } {
  const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
  let end = -1;
  for (let i = zip.length - 22; i >= Math.max(0, zip.length - 22 - 0xffff); i--) {
    if (view.getUint32(i, true) === SIG.end) {
      end = i;
      break;
    }
  }
  if (end < 0) throw malformed(`"${archive}" is not a readable zip archive: no end of central directory`);
  const count = view.getUint16(end + 10, true);
  const cdSize = view.getUint32(end + 12, true);
  const cdOffset = view.getUint32(end + 16, true);
  if (count === 0xffff || cdOffset === 0xffffffff) throw malformed(`"${archive}": ZIP64 archives are not supported`);
  if (count > limits.maxEntries) throw tooLarge(`"${archive}" has ${count} entries; the limit is ${limits.maxEntries}`);
  if (cdOffset + cdSize > end) throw malformed(`"${archive}" is not a readable zip archive: the central directory lies outside it`);
  const text = new TextDecoder();
  const out: Central[] = [];
  let p = cdOffset;
  for (let i = 0; i < count; i++) {
    if (p + 46 > end || view.getUint32(p, true) !== SIG.central) throw malformed(`"${archive}" is not a readable zip archive: bad central directory entry ${i + 1}`);
    const nameLen = view.getUint16(p + 28, true);
    const extraLen = view.getUint16(p + 30, true);
    const commentLen = view.getUint16(p + 32, true);
    out.push({
      flags: view.getUint16(p + 8, true),
      method: view.getUint16(p + 10, true),
      compressed: view.getUint32(p + 20, true),
      size: view.getUint32(p + 24, true),
      local: view.getUint32(p + 42, true),
      name: text.decode(zip.subarray(p + 46, p + 46 + nameLen)),
    });
    p += 46 + nameLen + extraLen + commentLen;
  }
  return { entries: out, cdOffset };
}

/** Where each entry's compressed data lies; refuses entries that overlap or leave the archive. */
function dataRanges(zip: Uint8Array, archive: string, entries: Central[], cdOffset: number) {
  const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
  const ranges = entries.map((e) => {
    if (e.local + 30 > zip.length || view.getUint32(e.local, true) !== SIG.local) throw malformed(`"${archive}": entry "${e.name}" has no local header where the directory says`);
    const start = e.local + 30 + view.getUint16(e.local + 26, true) + view.getUint16(e.local + 28, true);
    const stop = start + e.compressed;
    if (stop > cdOffset) throw malformed(`"${archive}": entry "${e.name}" claims ${e.compressed} compressed bytes, past the end of the archive's data`);
    return { entry: e, headerStart: e.local, start, stop };
  });
  const sorted = [...ranges].sort((a, b) => a.headerStart - b.headerStart);
  for (let i = 1; i < sorted.length; i++) {
    if (sorted[i].headerStart < sorted[i - 1].stop) {
      throw tooLarge(`"${archive}": entries "${sorted[i - 1].entry.name}" and "${sorted[i].entry.name}" share the same bytes (an overlapping-entry zip bomb)`);
    }
  }
  return ranges;
}

/** Inflates raw deflate data, stopping as soon as the output would pass `cap`. */
function inflateCapped(data: Uint8Array, cap: number, onOver: () => never): Uint8Array {
  const chunks: Uint8Array[] = [];
  let total = 0;
  const inflater = new Inflate((chunk) => {
    total += chunk.length;
    if (total > cap) onOver();
    chunks.push(chunk);
  });
  for (let i = 0; i < data.length; i += STEP) inflater.push(data.subarray(i, Math.min(data.length, i + STEP)), i + STEP >= data.length);
  if (data.length === 0) inflater.push(new Uint8Array(0), true);
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

const skipped = (path: string) => path.endsWith('/') || path.startsWith('__MACOSX/') || /(^|\/)\./.test(path);

/**
 * The file entries of one archive. `budget.left` is what remains of the request's total and is
 * reduced by what is inflated here (several archives share one budget).
 */
export function readZip(zip: Uint8Array, archive: string, limits: ZipLimits, budget: { left: number }): ZipEntry[] {
  const { entries, cdOffset } = centralDirectory(zip, archive, limits);
  const ranges = dataRanges(zip, archive, entries, cdOffset);
  // Declared sizes first: refuse before inflating anything.
  let declared = 0;
  for (const { entry: e } of ranges) {
    if (skipped(e.name)) continue;
    if (e.flags & 1) throw malformed(`"${archive}": entry "${e.name}" is encrypted`);
    if (e.method !== 0 && e.method !== 8) throw malformed(`"${archive}": entry "${e.name}" uses compression method ${e.method}; only stored and deflate are read`);
    if (e.method === 0 && e.size !== e.compressed) throw malformed(`"${archive}": stored entry "${e.name}" declares ${e.size} bytes but holds ${e.compressed}`);
    if (e.size > limits.maxEntryBytes) throw tooLarge(`"${archive}": entry "${e.name}" unpacks to ${e.size} bytes; the limit is ${limits.maxEntryBytes}`);
    declared += e.size;
    if (declared > budget.left) throw tooLarge(`"${archive}" unpacks to more than ${limits.maxTotalBytes} bytes in all`);
  }
  const out: ZipEntry[] = [];
  for (const { entry: e, start, stop } of ranges) {
    if (skipped(e.name)) continue;
    const data = zip.subarray(start, stop);
    let bytes: Uint8Array;
    if (e.method === 0) bytes = data.slice();
    else {
      try {
        bytes = inflateCapped(data, e.size, () => {
          throw tooLarge(`"${archive}": entry "${e.name}" inflates to more than the ${e.size} bytes it declares`);
        });
      } catch (err) {
        if (err instanceof AppError) throw err;
        throw malformed(`"${archive}": entry "${e.name}" is not valid deflate data: ${(err as Error).message}`);
      }
      if (bytes.length !== e.size) throw malformed(`"${archive}": entry "${e.name}" inflates to ${bytes.length} bytes but declares ${e.size}`);
    }
    budget.left -= bytes.length;
    out.push({ name: e.name, bytes });
  }
  return out;
}
