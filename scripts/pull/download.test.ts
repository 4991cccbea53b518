// downloadAll against an in-process blob source that answers Range the ways servers do (206 from
// the offset asked, a whole 200, 416, a 206 from elsewhere) and can drop a body midway: a `.part`
// prefix is resumed and re-hashed, every answer ends in a verified blob or a named failure.
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDir } from '../../server/testing/fixtures.ts';
import { openCache, type Cache } from './cache.ts';
import { downloadAll, PullError, type BlobJob } from './download.ts';
import type { BlobResponse } from './http-get.ts';

type Mode = 'range' | 'whole' | 'refuse' | 'elsewhere';

function source(bytes: Buffer, mode: Mode, dropAt = Infinity) {
  const asked: Array<string | null> = [];
  const get = async (_sha: string, headers: Record<string, string>): Promise<BlobResponse> => {
    const range = headers.Range ?? null;
    asked.push(range);
    const from = range ? Number(/^bytes=(\d+)-$/.exec(range)![1]) : 0;
    const drop = asked.length === 1 ? dropAt : Infinity; // only the first answer is cut
    let status = 200;
    let start = 0;
    let contentRange: string | undefined;
    if (range && mode === 'refuse') return { status: 416, header: () => undefined, body: (async function* () {})(), text: async () => '', cancel: () => {} };
    if (range && mode === 'range') [status, start, contentRange] = [206, from, `bytes ${from}-${bytes.length - 1}/${bytes.length}`];
    if (range && mode === 'elsewhere') [status, start, contentRange] = [206, 0, `bytes 0-${bytes.length - 1}/${bytes.length}`];
    const body = bytes.subarray(start);
    return {
      status,
      header: (n) => (n.toLowerCase() === 'content-range' ? contentRange : undefined),
      body: (async function* () {
        for (let i = 0; i < body.length; i += 1000) {
          if (i + 1000 > drop) {
            yield body.subarray(i, drop);
            throw new Error('socket hang up');
          }
          yield body.subarray(i, i + 1000);
        }
      })(),
      text: async () => '',
      cancel: () => {},
    };
  };
  return { get, asked };
}

const dir = tempDir('tessera-download-');
afterAll(() => dir.cleanup());

async function setup(name: string) {
  const bytes = randomBytes(10_000);
  const sha = createHash('sha256').update(bytes).digest('hex');
  const cache: Cache = await openCache(`${dir.dir}/${name}`);
  const job: BlobJob = { sha256: sha, bytes: bytes.length, fileName: 'a.jpg' };
  return { bytes, sha, cache, job };
}
const run = (cache: Cache, job: BlobJob, get: (s: string, h: Record<string, string>) => Promise<BlobResponse>) => {
  let progress = 0;
  return downloadAll([job], { cache, get, connections: 1, verify: false, onBytes: (n) => (progress += n), onFile: () => {} }).then((r) => ({ ...r, progress }));
};

describe('downloadAll', () => {
  it('resumes a .part left by a kill from its size, re-hashing the prefix, and verifies the whole', async () => {
    const { bytes, cache, job } = await setup('kill');
    writeFileSync(cache.partPath(job.sha256), bytes.subarray(0, 4321));
    const s = source(bytes, 'range');
    const r = await run(cache, job, s.get);
    expect(s.asked).toEqual(['bytes=4321-']);
    expect(r).toEqual({ fetched: 1, cached: 0, progress: bytes.length });
    expect(readFileSync(cache.blobPath(job.sha256)).equals(bytes)).toBe(true);
    expect(existsSync(cache.partPath(job.sha256))).toBe(false);
  });

  it('after a drop mid-body, the retry asks for the byte where the body stopped', async () => {
    const { bytes, cache, job } = await setup('drop');
    const s = source(bytes, 'range', 3000);
    const r = await run(cache, job, s.get);
    expect(s.asked).toEqual([null, 'bytes=3000-']);
    expect(r.progress).toBe(bytes.length);
    expect(readFileSync(cache.blobPath(job.sha256)).equals(bytes)).toBe(true);
  });

  for (const mode of ['whole', 'refuse', 'elsewhere'] as const) {
    it(`starts over when a Range is answered ${mode === 'whole' ? 'with the whole blob (200)' : mode === 'refuse' ? '416' : 'with a 206 from another offset'}`, async () => {
      const { bytes, cache, job } = await setup(mode);
      writeFileSync(cache.partPath(job.sha256), bytes.subarray(0, 5000));
      const s = source(bytes, mode);
      const r = await run(cache, job, s.get);
      expect(s.asked[0]).toBe('bytes=5000-');
      expect(s.asked.at(-1)).toBe(mode === 'whole' ? 'bytes=5000-' : null);
      expect(r.progress).toBe(bytes.length);
      expect(readFileSync(cache.blobPath(job.sha256)).equals(bytes)).toBe(true);
    });
  }

  it('a .part whose prefix differs from the blob fails naming the file, and keeps nothing', async () => {
    const { bytes, cache, job } = await setup('bad-prefix');
    const wrong = Buffer.from(bytes.subarray(0, 5000));
    wrong[10] ^= 1;
    mkdirSync(`${dir.dir}/bad-prefix/partial`, { recursive: true });
    writeFileSync(cache.partPath(job.sha256), wrong);
    const e = await run(cache, job, source(bytes, 'range').get).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(PullError);
    expect((e as Error).message).toMatch(/^a\.jpg \(blob [0-9a-f]{12}\): the bytes received do not match the release/);
    expect(existsSync(cache.partPath(job.sha256))).toBe(false);
    expect(existsSync(cache.blobPath(job.sha256))).toBe(false);
  });
});
