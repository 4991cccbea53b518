// The contract every BlobStore adapter passes (filesystem, memory; S3 later): content addressing,
// streaming put and get, inclusive ranges, missing blobs, and atomic puts (a failed or oversized
// stream stores nothing), listing with sizes and times, and deleting (unless stored again since).
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { concatBytes } from '../../shared/bytes.ts';
import type { BlobStore } from './blob-store.ts';

export interface BlobStoreFixture {
  store: BlobStore;
  close(): void | Promise<void>;
}

const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
const bytes = (n: number, seed = 1) => Uint8Array.from({ length: n }, (_, i) => (i * 31 + seed) & 0xff);

async function* chunks(b: Uint8Array, size: number, failAfter?: number) {
  for (let off = 0, i = 0; off < b.length; off += size, i++) {
    if (failAfter !== undefined && i === failAfter) throw new Error('source failed');
    await new Promise((r) => setImmediate(r));
    yield b.subarray(off, off + size);
  }
}

async function readAll(s: ReadableStream<Uint8Array> | null): Promise<Uint8Array | null> {
  if (!s) return null;
  const parts: Uint8Array[] = [];
  for await (const c of s as unknown as AsyncIterable<Uint8Array>) parts.push(c);
  return concatBytes(parts);
}

export function blobStoreContract(name: string, make: () => BlobStoreFixture | Promise<BlobStoreFixture>) {
  describe(`blob store contract: ${name}`, () => {
    let f: BlobStoreFixture;
    let s: BlobStore;
    beforeEach(async () => {
      f = await make();
      s = f.store;
    });
    afterEach(() => f.close());

    it('stores bytes under their SHA-256, once', async () => {
      const b = bytes(1000);
      expect(await s.put(b)).toEqual({ sha256: sha256(b), size: 1000, created: true });
      expect(await s.put(b)).toEqual({ sha256: sha256(b), size: 1000, created: false });
      expect(await s.stat(sha256(b))).toEqual({ size: 1000 });
      expect(await readAll(await s.get(sha256(b)))).toEqual(b);
    });

    it('takes a stream of chunks and gives the same blob as the whole bytes', async () => {
      const b = bytes(300_000, 7);
      const r = await s.put(chunks(b, 65_536));
      expect(r).toEqual({ sha256: sha256(b), size: b.length, created: true });
      expect(await s.put(b)).toMatchObject({ created: false });
      expect(await readAll(await s.get(r.sha256))).toEqual(b);
    });

    it('stores the empty blob', async () => {
      const r = await s.put(new Uint8Array(0));
      expect(r).toMatchObject({ size: 0, sha256: sha256(new Uint8Array(0)) });
      expect(await readAll(await s.get(r.sha256))).toEqual(new Uint8Array(0));
    });

    it('serves inclusive byte ranges', async () => {
      const b = bytes(100);
      const { sha256: id } = await s.put(b);
      expect(await readAll(await s.get(id, { start: 2, end: 5 }))).toEqual(b.subarray(2, 6));
      expect(await readAll(await s.get(id, { start: 0, end: 0 }))).toEqual(b.subarray(0, 1));
      expect(await readAll(await s.get(id, { start: 99, end: 99 }))).toEqual(b.subarray(99));
      expect(await readAll(await s.get(id, { start: 50, end: 99 }))).toEqual(b.subarray(50));
    });

    it('lends a local file with the bytes, for as long as the function runs', async () => {
      const b = bytes(5000, 3);
      const { sha256: id } = await s.put(b);
      expect(await s.withLocalFile(id, async (path) => new Uint8Array(await readFile(path)))).toEqual(b);
      expect(await s.withLocalFile(sha256(bytes(5, 98)), async () => 'called')).toBeNull();
      expect(await s.withLocalFile('../etc/passwd', async () => 'called')).toBeNull();
      await expect(s.withLocalFile(id, async () => Promise.reject(new Error('tool failed')))).rejects.toThrow('tool failed');
      expect(await readAll(await s.get(id))).toEqual(b);
    });

    it('answers null for a missing blob and for a malformed id', async () => {
      const missing = sha256(bytes(5, 99));
      expect(await s.stat(missing)).toBeNull();
      expect(await s.get(missing)).toBeNull();
      expect(await s.stat('../../etc/passwd')).toBeNull();
      expect(await s.get('not-a-sha')).toBeNull();
    });

    it('stores nothing when the source fails midway', async () => {
      const b = bytes(200_000, 3);
      await expect(s.put(chunks(b, 10_000, 5))).rejects.toThrow('source failed');
      expect(await s.stat(sha256(b))).toBeNull();
      expect(await s.put(b)).toMatchObject({ created: true });
    });

    it('refuses a source over maxBytes with payload_too_large and stores nothing', async () => {
      const b = bytes(50_000, 5);
      await expect(s.put(chunks(b, 8_192), { maxBytes: 20_000 })).rejects.toMatchObject({ code: 'payload_too_large' });
      await expect(s.put(b, { maxBytes: 49_999 })).rejects.toMatchObject({ code: 'payload_too_large' });
      expect(await s.stat(sha256(b))).toBeNull();
      expect(await s.put(b, { maxBytes: 50_000 })).toMatchObject({ created: true });
    });

    it('lists every stored blob with its size and when it was stored', async () => {
      const before = Date.now();
      const a = await s.put(bytes(10, 21));
      const b = await s.put(chunks(bytes(70_000, 22), 8192));
      await expect(s.put(chunks(bytes(30_000, 23), 4096, 2))).rejects.toThrow('source failed');
      const after = Date.now();
      const listed = [];
      for await (const x of s.list()) listed.push(x);
      expect(listed.map((x) => [x.sha256, x.size]).sort()).toEqual([[a.sha256, 10], [b.sha256, 70_000]].sort());
      // File systems keep coarser times than Date.now(): allow a few milliseconds either side.
      for (const x of listed) expect(x.storedAt).toBeGreaterThanOrEqual(before - 20), expect(x.storedAt).toBeLessThanOrEqual(after + 20);
    });

    it('deletes a blob, unless it was stored at or after storedBefore; absent and malformed ids are false', async () => {
      const a = await s.put(bytes(40, 31));
      const b = await s.put(bytes(40, 32));
      let storedAt = 0;
      for await (const x of s.list()) if (x.sha256 === a.sha256) storedAt = x.storedAt;
      expect(await s.delete(a.sha256, { storedBefore: storedAt })).toBe(false);
      expect(await s.stat(a.sha256)).toEqual({ size: 40 });
      expect(await s.delete(a.sha256, { storedBefore: storedAt + 1 })).toBe(true);
      expect(await s.stat(a.sha256)).toBeNull();
      expect(await s.get(a.sha256)).toBeNull();
      expect(await s.delete(a.sha256)).toBe(false);
      expect(await s.delete('../../etc/passwd')).toBe(false);
      expect(await s.delete(b.sha256)).toBe(true);
      const left = [];
      for await (const x of s.list()) left.push(x);
      expect(left).toEqual([]);
      // Deleted bytes can be stored again.
      expect(await s.put(bytes(40, 31))).toMatchObject({ created: true });
    });

    it('keeps concurrent puts of the same and of different bytes whole', async () => {
      const a = bytes(70_000, 11);
      const b = bytes(70_000, 12);
      const rs = await Promise.all([s.put(chunks(a, 4096)), s.put(chunks(b, 4096)), s.put(chunks(a, 5000))]);
      expect(rs.map((r) => r.sha256)).toEqual([sha256(a), sha256(b), sha256(a)]);
      expect(await readAll(await s.get(sha256(a)))).toEqual(a);
      expect(await readAll(await s.get(sha256(b)))).toEqual(b);
    });
  });
}
