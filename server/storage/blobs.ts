// Content-addressed blob storage on disk: data/blobs/<aa>/<sha256>. Writes go to a temp file that is
// fsynced and renamed, so a blob is either absent or complete; the same bytes are stored once.
import { createHash, randomBytes } from 'node:crypto';
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, renameSync, statSync, unlinkSync, writeSync, createReadStream } from 'node:fs';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { isSha256 } from '../../shared/ids.ts';

export interface BlobStore {
  /** Stores bytes; returns their SHA-256 and whether they were new. */
  put(bytes: Uint8Array): { sha256: string; size: number; created: boolean };
  has(sha256: string): boolean;
  size(sha256: string): number | null;
  read(sha256: string, range?: { start: number; end: number }): Readable;
}

export function diskBlobStore(root: string): BlobStore {
  mkdirSync(root, { recursive: true });
  const pathOf = (sha: string) => {
    if (!isSha256(sha)) throw new Error(`not a sha256: ${sha}`);
    return join(root, sha.slice(0, 2), sha);
  };
  return {
    put(bytes) {
      const sha256 = createHash('sha256').update(bytes).digest('hex');
      const dest = pathOf(sha256);
      if (existsSync(dest)) return { sha256, size: bytes.byteLength, created: false };
      mkdirSync(join(root, sha256.slice(0, 2)), { recursive: true });
      const tmp = `${dest}.${randomBytes(6).toString('hex')}.tmp`;
      const fd = openSync(tmp, 'w');
      try {
        let off = 0;
        while (off < bytes.byteLength) off += writeSync(fd, bytes, off);
        fsyncSync(fd);
      } catch (e) {
        closeSync(fd);
        unlinkSync(tmp);
        throw e;
      }
      closeSync(fd);
      renameSync(tmp, dest);
      return { sha256, size: bytes.byteLength, created: true };
    },
    has: (sha) => isSha256(sha) && existsSync(pathOf(sha)),
    size(sha) {
      if (!isSha256(sha)) return null;
      try {
        return statSync(pathOf(sha)).size;
      } catch {
        return null;
      }
    },
    read: (sha, range) => createReadStream(pathOf(sha), range),
  };
}
