// Manifests of stored releases: the bytes are the blob whose SHA-256 is the release id, read back,
// checked against the id and parsed once; parsed manifests are kept in a small cache (they are
// immutable, so a cached one is never stale).
import { AppError } from '../../shared/errors.ts';
import { parseManifest, type Manifest } from '../../shared/release/index.ts';
import type { BlobStore } from '../ports/blob-store.ts';
import { createHash } from 'node:crypto';

const CACHE_SIZE = 8;
const cache = new Map<string, Manifest>();

export async function manifestBytesOf(d: { blobs: BlobStore }, id: string): Promise<Uint8Array> {
  const stream = await d.blobs.get(id);
  if (!stream) throw new AppError('internal', `the manifest of release ${id} is missing from the blob store`);
  const chunks: Uint8Array[] = [];
  for await (const c of stream as unknown as AsyncIterable<Uint8Array>) chunks.push(c);
  const bytes = Buffer.concat(chunks);
  const got = createHash('sha256').update(bytes).digest('hex');
  if (got !== id) throw new AppError('internal', `the stored manifest of release ${id} hashes to ${got}`);
  return bytes;
}

export async function loadManifest(d: { blobs: BlobStore }, id: string): Promise<Manifest> {
  const hit = cache.get(id);
  if (hit) {
    cache.delete(id);
    cache.set(id, hit);
    return hit;
  }
  const parsed = parseManifest(Buffer.from(await manifestBytesOf(d, id)).toString('utf8'));
  if (!parsed.ok) throw new AppError('internal', `the stored manifest of release ${id}: ${parsed.error}`);
  cache.set(id, parsed.value);
  if (cache.size > CACHE_SIZE) cache.delete(cache.keys().next().value!);
  return parsed.value;
}
