// Fetching a release's blobs into the cache with several connections at once: each download goes
// to a `.part` file, resumed with `Range: bytes=<have>-` after an interruption (a dropped
// connection, a kill: the prefix on disk is re-hashed, then the rest hashed as it arrives), and is
// checked (size and SHA-256 of the whole file) before the atomic rename into the cache. Blobs already in
// the cache were verified when they got there and are skipped (`verify` re-hashes them).
import { createHash, type Hash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rename, rm, truncate } from 'node:fs/promises';
import path from 'node:path';
import { fileSize, fileSizeNow, hashFile, partsInProgress, type Cache } from './cache.ts';
import type { BlobResponse } from './http-get.ts';

export interface BlobJob {
  sha256: string;
  bytes: number;
  /** For messages: the image's file name. */
  fileName: string;
}

export interface DownloadOptions {
  cache: Cache;
  /** GETs one blob with optional headers (Range); the caller owns URL and authentication. */
  get(sha256: string, headers: Record<string, string>): Promise<BlobResponse>;
  connections: number;
  verify: boolean;
  /** Called with bytes newly received (or found), and when a file is done. */
  onBytes(n: number): void;
  onFile(outcome: 'cached' | 'fetched'): void;
  /** Retries of one blob after a dropped connection (each resumes from what arrived). */
  retries?: number;
}

export class PullError extends Error {}

/** Downloads every job; rejects with the first failure (naming the file) after stopping the others. */
export async function downloadAll(jobs: readonly BlobJob[], o: DownloadOptions): Promise<{ fetched: number; cached: number }> {
  let next = 0;
  let failed: Error | null = null;
  let fetched = 0;
  let cached = 0;
  const dirs = new Set<string>();
  const parts = await partsInProgress(o.cache);
  const worker = async () => {
    while (!failed && next < jobs.length) {
      const job = jobs[next++];
      try {
        const outcome = await ensureBlob(job, o, dirs, parts.has(job.sha256));
        outcome === 'cached' ? cached++ : fetched++;
        o.onFile(outcome);
      } catch (e) {
        failed ??= e as Error;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(o.connections, jobs.length)) }, worker));
  if (failed) throw failed;
  return { fetched, cached };
}

async function ensureBlob(job: BlobJob, o: DownloadOptions, dirs: Set<string>, partLeft: boolean): Promise<'cached' | 'fetched'> {
  const final = o.cache.blobPath(job.sha256);
  const have = fileSizeNow(final);
  if (have !== null) {
    if (!o.verify) {
      o.onBytes(job.bytes);
      return 'cached';
    }
    const h = await hashFile(final);
    if (h.sha256 === job.sha256 && h.size === job.bytes) {
      o.onBytes(job.bytes);
      return 'cached';
    }
    await rm(final, { force: true }); // damaged in the cache: fetch it again
  }
  const part = o.cache.partPath(job.sha256);
  const retries = o.retries ?? 3;
  // Without a .part left behind, nothing needs reading before the first byte arrives.
  const state: PartState = { hash: partLeft ? null : createHash('sha256'), size: 0, counted: 0 };
  for (let attempt = 0; ; attempt++) {
    try {
      await fetchPart(job, part, o, state, attempt > 0);
      break;
    } catch (e) {
      if (e instanceof PullError || attempt >= retries) throw e instanceof PullError ? e : new PullError(`${job.fileName} (blob ${job.sha256.slice(0, 12)}): ${(e as Error).message}`);
    }
  }
  // The whole file was hashed as it arrived (a resumed prefix re-read from disk first).
  const sha256 = state.hash!.digest('hex');
  if (state.size !== job.bytes || sha256 !== job.sha256) {
    await rm(part, { force: true });
    throw new PullError(`${job.fileName} (blob ${job.sha256.slice(0, 12)}): the bytes received do not match the release (${state.size} bytes, SHA-256 ${sha256.slice(0, 12)}; expected ${job.bytes} bytes, ${job.sha256.slice(0, 12)})`);
  }
  const dir = path.dirname(final);
  if (!dirs.has(dir)) {
    await mkdir(dir, { recursive: true });
    dirs.add(dir);
  }
  await rename(part, final);
  return 'fetched';
}

/** What the `.part` file holds: its SHA-256 so far (null: not read yet) and size; `counted`: bytes reported to progress. */
interface PartState {
  hash: Hash | null;
  size: number;
  counted: number;
}

/** Hashes the bytes already in `part` (left by a dropped connection, a kill or an earlier attempt). */
async function rehashPrefix(part: string, s: PartState): Promise<void> {
  s.hash = createHash('sha256');
  s.size = 0;
  const size = await fileSize(part);
  if (!size) return;
  for await (const c of createReadStream(part, { highWaterMark: 1 << 20 })) {
    s.hash.update(c as Buffer);
    s.size += (c as Buffer).length;
  }
}

async function startOver(part: string, s: PartState): Promise<void> {
  await truncate(part, 0).catch(() => undefined);
  s.hash = createHash('sha256');
  s.size = 0;
}

/**
 * Brings `part` to the full size, hashing as it writes: appends from where it stopped
 * (`Range: bytes=<size>-`, answered 206 from exactly there), or starts over (a 200 is the whole
 * blob again; a 416 or a 206 from another offset means the prefix cannot be trusted).
 */
async function fetchPart(job: BlobJob, part: string, o: DownloadOptions, s: PartState, retry: boolean): Promise<void> {
  if (s.hash === null || (retry && s.size !== (fileSizeNow(part) ?? 0))) await rehashPrefix(part, s);
  if (s.size > job.bytes) await startOver(part, s);
  // Progress counts each byte of the file once, across resumes.
  o.onBytes(s.size - s.counted);
  s.counted = s.size;
  if (s.size === job.bytes) return;
  const from = s.size;
  const res = await o.get(job.sha256, from > 0 ? { Range: `bytes=${from}-` } : {});
  if (res.status === 416) {
    res.cancel();
    await startOver(part, s);
    throw new Error('the server refused the resume range; starting over');
  }
  if (res.status !== 200 && res.status !== 206) {
    const text = await res.text().catch(() => '');
    let message = `HTTP ${res.status}`;
    try {
      message = (JSON.parse(text) as { error: { message: string } }).error.message + ` (${res.status})`;
    } catch {
      /* keep the status */
    }
    throw new PullError(`${job.fileName} (blob ${job.sha256.slice(0, 12)}): ${message}`);
  }
  const append = from > 0 && res.status === 206;
  if (append && !res.header('content-range')?.startsWith(`bytes ${from}-`)) {
    res.cancel();
    await startOver(part, s);
    throw new Error(`the server answered the resume from byte ${from} with ${res.header('content-range') ?? 'no Content-Range'}; starting over`);
  }
  if (!append && from > 0) {
    s.hash = createHash('sha256'); // the server sends it all again
    s.size = 0;
    o.onBytes(-s.counted);
    s.counted = 0;
  }
  const out = createWriteStream(part, { flags: append ? 'a' : 'w', highWaterMark: 1 << 20 });
  let failed = false;
  const done = new Promise<void>((resolve, reject) => {
    out.on('error', (e) => ((failed = true), reject(e)));
    out.on('finish', resolve);
  });
  // A write error (a full disk) is reported in `finally` below; until then it must not count as unhandled.
  done.catch(() => undefined);
  try {
    for await (const chunk of res.body) {
      if (failed) break;
      s.hash!.update(chunk);
      s.size += chunk.byteLength;
      if (!out.write(chunk)) await new Promise<void>((r) => (out.once('drain', r), out.once('error', () => r())));
      o.onBytes(chunk.byteLength);
      s.counted += chunk.byteLength;
    }
  } finally {
    out.end();
    await done.catch((e: NodeJS.ErrnoException) => {
      s.hash = null; // what reached the disk is unknown: re-read it before any resume
      throw new PullError(`${job.fileName} (blob ${job.sha256.slice(0, 12)}): writing ${part}: ${e.code === 'ENOSPC' ? 'no space left on the disk' : e.message}`);
    });
  }
}

/** SHA-256 of a file, for tests and `--verify` of outputs. */
export async function sha256File(file: string): Promise<string> {
  const h = createHash('sha256');
  for await (const c of createReadStream(file)) h.update(c as Buffer);
  return h.digest('hex');
}
