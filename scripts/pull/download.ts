// Fetching a release's blobs into the cache with several connections at once: each download goes
// to a `.part` file, resumed with `Range: bytes=<have>-` after an interruption, and is checked
// (size, then SHA-256 of the whole file) before the atomic rename into the cache. Blobs already in
// the cache were verified when they got there and are skipped (`verify` re-hashes them).
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rename, rm, truncate } from 'node:fs/promises';
import path from 'node:path';
import { fileSize, hashFile, type Cache } from './cache.ts';

export interface BlobJob {
  sha256: string;
  bytes: number;
  /** For messages: the image's file name. */
  fileName: string;
}

export interface DownloadOptions {
  cache: Cache;
  /** GETs one blob with optional headers (Range); the caller owns URL and authentication. */
  get(sha256: string, headers: Record<string, string>): Promise<Response>;
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
  const worker = async () => {
    while (!failed && next < jobs.length) {
      const job = jobs[next++];
      try {
        const outcome = await ensureBlob(job, o);
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

async function ensureBlob(job: BlobJob, o: DownloadOptions): Promise<'cached' | 'fetched'> {
  const final = o.cache.blobPath(job.sha256);
  const have = await fileSize(final);
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
  const counted = { bytes: 0 };
  for (let attempt = 0; ; attempt++) {
    try {
      await fetchPart(job, part, o, counted);
      break;
    } catch (e) {
      if (e instanceof PullError || attempt >= retries) throw e instanceof PullError ? e : new PullError(`${job.fileName} (blob ${job.sha256.slice(0, 12)}): ${(e as Error).message}`);
    }
  }
  const h = await hashFile(part);
  if (h.size !== job.bytes || h.sha256 !== job.sha256) {
    await rm(part, { force: true });
    throw new PullError(`${job.fileName} (blob ${job.sha256.slice(0, 12)}): the bytes received do not match the release (${h.size} bytes, SHA-256 ${h.sha256.slice(0, 12)}; expected ${job.bytes} bytes, ${job.sha256.slice(0, 12)})`);
  }
  await mkdir(path.dirname(final), { recursive: true });
  await rename(part, final);
  return 'fetched';
}

/** Brings `part` to the full size: appends from where it stopped (Range), or starts over. */
async function fetchPart(job: BlobJob, part: string, o: DownloadOptions, counted: { bytes: number }): Promise<void> {
  let have = (await fileSize(part)) ?? 0;
  if (have > job.bytes) {
    await truncate(part, 0);
    have = 0;
  }
  // Progress counts each byte of the file once, across resumes.
  o.onBytes(have - counted.bytes);
  counted.bytes = have;
  if (have === job.bytes) return;
  const res = await o.get(job.sha256, have > 0 ? { Range: `bytes=${have}-` } : {});
  if (res.status === 416) {
    await truncate(part, 0);
    throw new Error('the server refused the resume range; starting over');
  }
  if (!res.ok) {
    const text = await res.text().catch(() => '');
    let message = `HTTP ${res.status}`;
    try {
      message = (JSON.parse(text) as { error: { message: string } }).error.message + ` (${res.status})`;
    } catch {
      /* keep the status */
    }
    throw new PullError(`${job.fileName} (blob ${job.sha256.slice(0, 12)}): ${message}`);
  }
  const append = res.status === 206 && have > 0;
  if (!append) {
    o.onBytes(-have); // the server sends it all again
    counted.bytes = 0;
  }
  const out = createWriteStream(part, { flags: append ? 'a' : 'w' });
  let failed = false;
  const done = new Promise<void>((resolve, reject) => {
    out.on('error', (e) => ((failed = true), reject(e)));
    out.on('finish', resolve);
  });
  // A write error (a full disk) is reported in `finally` below; until then it must not count as unhandled.
  done.catch(() => undefined);
  try {
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
      if (failed) break;
      if (!out.write(chunk)) await new Promise<void>((r) => (out.once('drain', r), out.once('error', () => r())));
      o.onBytes(chunk.byteLength);
      counted.bytes += chunk.byteLength;
    }
  } finally {
    out.end();
    await done.catch((e: NodeJS.ErrnoException) => {
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
