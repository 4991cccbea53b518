// Content-addressed blobs on disk: <root>/<aa>/<sha256>. A put streams into a temp file beside
// them while hashing, fsyncs it and renames it into place, so a blob is either absent or complete
// and an upload of any size passes through in chunks; the same bytes are stored once (storing
// them again touches the file: its modification time is the blob's `storedAt`).
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, open, readdir, rename, stat, unlink, utimes } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { AppError } from '../../../shared/errors.ts';
import { isSha256, type Sha256 } from '../../../shared/ids.ts';
import type { BlobStore } from '../../ports/blob-store.ts';

const tooLarge = (max: number) => new AppError('payload_too_large', `the blob is larger than ${max} bytes`);

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

/** Whether the file is there; when it is, its time becomes now (the bytes were stored again). */
async function touch(path: string): Promise<boolean> {
  try {
    const t = new Date();
    await utimes(path, t, t);
    return true;
  } catch {
    return false;
  }
}

const HEX2 = /^[0-9a-f]{2}$/;

export function fsBlobStore(root: string): BlobStore {
  const pathOf = (sha: Sha256) => join(root, sha.slice(0, 2), sha);
  const ready = mkdir(join(root, 'tmp'), { recursive: true });

  async function place(tmp: string, sha: Sha256): Promise<boolean> {
    const dest = pathOf(sha);
    if (await touch(dest)) {
      await unlink(tmp);
      return false;
    }
    await mkdir(join(root, sha.slice(0, 2)), { recursive: true });
    await rename(tmp, dest);
    return true;
  }

  return {
    async put(source, opts = {}) {
      const max = opts.maxBytes ?? Infinity;
      if (source instanceof Uint8Array) {
        if (source.byteLength > max) throw tooLarge(max);
        const sha = createHash('sha256').update(source).digest('hex') as Sha256;
        if (await touch(pathOf(sha))) return { sha256: sha, size: source.byteLength, created: false };
        source = [source] as unknown as AsyncIterable<Uint8Array>;
      }
      await ready;
      const tmp = join(root, 'tmp', `${randomBytes(8).toString('hex')}.part`);
      const fh = await open(tmp, 'wx');
      const hash = createHash('sha256');
      let size = 0;
      try {
        for await (const chunk of source as AsyncIterable<Uint8Array>) {
          size += chunk.byteLength;
          if (size > max) throw tooLarge(max);
          hash.update(chunk);
          let off = 0;
          while (off < chunk.byteLength) off += (await fh.write(chunk, off)).bytesWritten;
        }
        await fh.sync();
        await fh.close();
      } catch (e) {
        await fh.close().catch(() => {});
        await unlink(tmp).catch(() => {});
        throw e;
      }
      const sha = hash.digest('hex') as Sha256;
      return { sha256: sha, size, created: await place(tmp, sha) };
    },
    async stat(sha) {
      if (!isSha256(sha)) return null;
      try {
        return { size: (await stat(pathOf(sha))).size };
      } catch {
        return null;
      }
    },
    async get(sha, range) {
      if (!isSha256(sha) || !(await exists(pathOf(sha)))) return null;
      return Readable.toWeb(createReadStream(pathOf(sha), range)) as ReadableStream<Uint8Array>;
    },
    async withLocalFile(sha, fn) {
      if (!isSha256(sha) || !(await exists(pathOf(sha)))) return null;
      return fn(pathOf(sha));
    },
    async *list() {
      await ready;
      for (const dir of (await readdir(root)).filter((d) => HEX2.test(d)).sort()) {
        for (const name of await readdir(join(root, dir)).catch(() => [] as string[])) {
          if (!isSha256(name) || !name.startsWith(dir)) continue;
          const st = await stat(join(root, dir, name)).catch(() => null);
          if (st?.isFile()) yield { sha256: name, size: st.size, storedAt: st.mtimeMs };
        }
      }
    },
    async delete(sha, opts = {}) {
      if (!isSha256(sha)) return false;
      const path = pathOf(sha);
      const st = await stat(path).catch(() => null);
      if (!st) return false;
      if (opts.storedBefore !== undefined && st.mtimeMs >= opts.storedBefore) return false;
      return unlink(path).then(() => true, () => false);
    },
  };
}
