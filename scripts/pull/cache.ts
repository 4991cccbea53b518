// The local content-addressed cache of `tessera pull`: verified blobs under blobs/<aa>/<sha256>,
// downloads in progress under partial/<sha256>.part (resumed with HTTP Range), verified manifests
// under manifests/<id>.json. A blob reaches blobs/ only after its size and SHA-256 were checked,
// by an atomic rename, so the cache holds verified bytes and nothing else.
import { createHash } from 'node:crypto';
import { createReadStream, statSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import path from 'node:path';

export interface Cache {
  root: string;
  blobPath(sha256: string): string;
  partPath(sha256: string): string;
  manifestPath(id: string): string;
}

/** `--cache`, else $XDG_CACHE_HOME/tessera, else ~/.cache/tessera. */
export function defaultCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  return path.join(env.XDG_CACHE_HOME || path.join(homedir(), '.cache'), 'tessera');
}

export async function openCache(root: string): Promise<Cache> {
  await mkdir(path.join(root, 'blobs'), { recursive: true });
  await mkdir(path.join(root, 'partial'), { recursive: true });
  await mkdir(path.join(root, 'manifests'), { recursive: true });
  return {
    root,
    blobPath: (sha) => path.join(root, 'blobs', sha.slice(0, 2), sha),
    partPath: (sha) => path.join(root, 'partial', `${sha}.part`),
    manifestPath: (id) => path.join(root, 'manifests', `${id}.json`),
  };
}

export const sha256Of = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

/** SHA-256 and size of a file, streamed. */
export async function hashFile(file: string): Promise<{ sha256: string; size: number }> {
  const h = createHash('sha256');
  let size = 0;
  for await (const chunk of createReadStream(file)) {
    h.update(chunk as Buffer);
    size += (chunk as Buffer).length;
  }
  return { sha256: h.digest('hex'), size };
}

/** The size of a file or null, without an exception for a missing one (checked for every blob of a pull). */
export function fileSizeNow(file: string): number | null {
  const s = statSync(file, { throwIfNoEntry: false });
  return s && s.isFile() ? s.size : null;
}

/** The SHA-256s with a `.part` file in the cache: downloads a kill or a drop left behind. */
export async function partsInProgress(cache: Cache): Promise<Set<string>> {
  const names = await readdir(path.join(cache.root, 'partial')).catch(() => [] as string[]);
  return new Set(names.filter((n) => n.endsWith('.part')).map((n) => n.slice(0, -'.part'.length)));
}

export async function fileSize(file: string): Promise<number | null> {
  const s = await stat(file).catch(() => null);
  return s && s.isFile() ? s.size : null;
}

/** A cached manifest whose bytes still hash to `id`, or null. */
export async function cachedManifest(cache: Cache, id: string): Promise<Uint8Array | null> {
  const bytes = await readFile(cache.manifestPath(id)).catch(() => null);
  return bytes && sha256Of(bytes) === id ? bytes : null;
}

export async function storeManifest(cache: Cache, id: string, bytes: Uint8Array): Promise<void> {
  const tmp = `${cache.manifestPath(id)}.${process.pid}.tmp`;
  await writeFile(tmp, bytes);
  await rename(tmp, cache.manifestPath(id));
}
