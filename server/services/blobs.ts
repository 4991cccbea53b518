// Reading a blob: the caller must see an image (or thumbnail) it shows; then its type, size and bytes.
import { AppError, forbidden, notFound } from '../../shared/errors.ts';
import { isSha256, type UserId } from '../../shared/ids.ts';
import type { ByteRange } from '../ports/blob-store.ts';
import { canReadBlob } from './access.ts';
import type { ServiceDeps } from './deps.ts';

/** The blob's metadata, after checking that `userId` may read it (404 unknown, 403 none of theirs). */
export async function openBlob(s: ServiceDeps, userId: UserId, sha256: string) {
  if (!isSha256(sha256)) throw new AppError('bad_request', 'a blob id is 64 lower-case hex digits');
  const meta = await s.data.blobs.get(sha256);
  if (!meta) throw notFound('blob');
  if (!(await canReadBlob(s, userId, sha256))) throw forbidden('none of your projects has this blob');
  const size = (await s.blobs.stat(sha256))?.size;
  if (size == null) throw notFound('blob bytes');
  return {
    sha256,
    mime: meta.mime,
    size,
    async read(range?: ByteRange): Promise<ReadableStream<Uint8Array>> {
      const stream = await s.blobs.get(sha256, range);
      if (!stream) throw notFound('blob bytes');
      return stream;
    },
  };
}
