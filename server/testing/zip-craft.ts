// Hand-made zip archives for tests, including hostile ones: central directory entries that point
// at shared local data (overlapping entries), sizes that lie, many entries. CRCs are left zero
// (the server's reader does not rely on them).
import { deflateSync } from 'fflate';

export interface LocalEntry {
  name: string;
  /** The bytes to store (method 0) or to deflate (method 8). */
  content: Uint8Array;
  method?: 0 | 8;
}

export interface CentralEntry {
  /** Index into the local entries whose data this entry points at. */
  local: number;
  name?: string;
  /** The uncompressed size declared in the directory (default: the real one). */
  size?: number;
}

const u16 = (v: number) => [v & 0xff, (v >>> 8) & 0xff];
const u32 = (v: number) => [v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, (v >>> 24) & 0xff];

export function craftZip(locals: LocalEntry[], centrals: CentralEntry[] = locals.map((_, i) => ({ local: i }))): Uint8Array {
  const enc = new TextEncoder();
  const parts: Uint8Array[] = [];
  let offset = 0;
  const placed = locals.map((l) => {
    const method = l.method ?? 8;
    const data = method === 8 ? deflateSync(l.content, { level: 9 }) : l.content;
    const name = enc.encode(l.name);
    const header = Uint8Array.from([...u32(0x04034b50), ...u16(20), ...u16(0), ...u16(method), ...u16(0), ...u16(0), ...u32(0), ...u32(data.length), ...u32(l.content.length), ...u16(name.length), ...u16(0)]);
    const at = offset;
    parts.push(header, name, data);
    offset += header.length + name.length + data.length;
    return { at, method, compressed: data.length, size: l.content.length, name: l.name };
  });
  const cdStart = offset;
  for (const c of centrals) {
    const p = placed[c.local];
    const name = enc.encode(c.name ?? p.name);
    const entry = Uint8Array.from([
      ...u32(0x02014b50), ...u16(20), ...u16(20), ...u16(0), ...u16(p.method), ...u16(0), ...u16(0), ...u32(0),
      ...u32(p.compressed), ...u32(c.size ?? p.size), ...u16(name.length), ...u16(0), ...u16(0), ...u16(0), ...u16(0), ...u32(0), ...u32(p.at),
    ]);
    parts.push(entry, name);
    offset += entry.length + name.length;
  }
  const n = centrals.length;
  parts.push(Uint8Array.from([...u32(0x06054b50), ...u16(0), ...u16(0), ...u16(n), ...u16(n), ...u32(offset - cdStart), ...u32(cdStart), ...u16(0)]));
  const out = new Uint8Array(offset + 22);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
