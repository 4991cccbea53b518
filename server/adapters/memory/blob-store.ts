// Blobs in memory, for tests and as proof that the blob store contract is not the filesystem's.
import { createHash } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppError } from '../../../shared/errors.ts';
import { isSha256, type Sha256 } from '../../../shared/ids.ts';
import type { BlobStore } from '../../ports/blob-store.ts';

export function memoryBlobStore(opts: { now?: () => number } = {}): BlobStore {
  const clock = opts.now ?? Date.now;
  const blobs = new Map<string, Uint8Array>();
  const storedAt = new Map<string, number>();
  return {
    async put(source, opts = {}) {
      const max = opts.maxBytes ?? Infinity;
      const parts: Uint8Array[] = [];
      let size = 0;
      for await (const c of source instanceof Uint8Array ? [source] : source) {
        size += c.byteLength;
        if (size > max) throw new AppError('payload_too_large', `the blob is larger than ${max} bytes`);
        parts.push(c.slice());
      }
      const all = new Uint8Array(size);
      let off = 0;
      for (const p of parts) {
        all.set(p, off);
        off += p.byteLength;
      }
      const sha = createHash('sha256').update(all).digest('hex') as Sha256;
      const created = !blobs.has(sha);
      if (created) blobs.set(sha, all);
      storedAt.set(sha, clock());
      return { sha256: sha, size, created };
    },
    async stat(sha) {
      const b = isSha256(sha) ? blobs.get(sha) : undefined;
      return b ? { size: b.byteLength } : null;
    },
    async get(sha, range) {
      const b = isSha256(sha) ? blobs.get(sha) : undefined;
      if (!b) return null;
      const bytes = range ? b.slice(range.start, range.end + 1) : b.slice();
      return new ReadableStream<Uint8Array>({
        start(c) {
          if (bytes.byteLength) c.enqueue(bytes);
          c.close();
        },
      });
    },
    async withLocalFile(sha, fn) {
      const b = isSha256(sha) ? blobs.get(sha) : undefined;
      if (!b) return null;
      // What a remote store does: a temporary copy, deleted once `fn` is done with it.
      const dir = await mkdtemp(join(tmpdir(), 'tessera-blob-'));
      try {
        await writeFile(join(dir, sha), b);
        return await fn(join(dir, sha));
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    },
    async *list() {
      for (const [sha256, b] of [...blobs]) yield { sha256: sha256 as Sha256, size: b.byteLength, storedAt: storedAt.get(sha256)! };
    },
    async delete(sha, o = {}) {
      if (!isSha256(sha) || !blobs.has(sha)) return false;
      if (o.storedBefore !== undefined && storedAt.get(sha)! >= o.storedBefore) return false;
      blobs.delete(sha);
      storedAt.delete(sha);
      return true;
    },
  };
}
