// Manifests of stored releases: the bytes are the blob whose SHA-256 is the release id, read back,
// checked against the id and parsed; parsed manifests (and the blob index of each, for release
// blob downloads, and the key of the approved state it was cut from) are kept in a small LRU owned
// by the release services' deps (`releaseCaches()`, one per server), never in module state. Manifests are immutable, so a cached one is never stale.
import { AppError } from '../../shared/errors.ts';
import { parseManifest, type Manifest } from '../../shared/release/index.ts';
import type { BlobStore } from '../ports/blob-store.ts';
import { createHash } from 'node:crypto';

const CACHE_SIZE = 8;

/** Recently used manifests by release id, and the blob → file name index of each. */
export interface ReleaseCaches {
  manifests: Map<string, Manifest>;
  blobIndexes: Map<string, Map<string, string>>;
  /** Release id → the key of the approved state it was cut from (release-state.ts). */
  stateKeys: Map<string, string>;
}

export const releaseCaches = (): ReleaseCaches => ({ manifests: new Map(), blobIndexes: new Map(), stateKeys: new Map() });

/** Gets `key` from an LRU map (moving it to the newest end), or puts `make()` there, evicting the oldest past CACHE_SIZE. */
export function lru<V>(map: Map<string, V>, key: string, make: () => V): V {
  const hit = map.get(key);
  map.delete(key);
  const value = hit ?? make();
  map.set(key, value);
  if (map.size > CACHE_SIZE) map.delete(map.keys().next().value!);
  return value;
}

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

export async function loadManifest(d: { blobs: BlobStore; caches?: ReleaseCaches }, id: string): Promise<Manifest> {
  const hit = d.caches?.manifests.get(id);
  if (hit) return lru(d.caches!.manifests, id, () => hit);
  const parsed = parseManifest(Buffer.from(await manifestBytesOf(d, id)).toString('utf8'));
  if (!parsed.ok) throw new AppError('internal', `the stored manifest of release ${id}: ${parsed.error}`);
  if (d.caches) lru(d.caches.manifests, id, () => parsed.value);
  return parsed.value;
}
