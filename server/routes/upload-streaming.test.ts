// Uploads stream through the server: a 200 MB image generated on the fly goes to the blob store in
// chunks (with the rest of the body held back, what was sent is already on disk; the server's RSS
// grows less than the upload), with the right SHA-256; a malformed
// multipart body is a 400 naming the part, and records nothing. Real server on port 0.
import { createHash } from 'node:crypto';
import { readdirSync, statSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../main.ts';
import { createUser, login } from '../services/auth.ts';
import { blobDir } from '../config.ts';
import { tempDir } from '../testing/fixtures.ts';
import { pngStream } from '../testing/png-stream.ts';
import { every, until } from '../testing/wait.ts';

let server: RunningServer;
let token: string;
let projectId: string;
const dir = tempDir();
const MB = 1024 * 1024;
const BOUNDARY = 'tessera-stream-test';

beforeAll(async () => {
  server = await startServer({ port: 0, dataDir: dir.dir, clientDir: null, maxImageBytes: 256 * MB });
  await createUser(server.services, { username: 'boss', password: 'boss-pass', isAdmin: true }, null);
  token = (await login(server.services, 'boss', 'boss-pass')).token;
  const r = await fetch(`${server.url}/api/projects`, { method: 'POST', headers: { Authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify({ name: 'stream' }) });
  projectId = ((await r.json()) as { id: string }).id;
});
afterAll(async () => {
  await server.close();
  dir.cleanup();
});

type Part = { name: string; bytes: AsyncIterable<Uint8Array> | Uint8Array };
const enc = new TextEncoder();

/** A multipart body produced as it is sent; `end: false` leaves off the closing boundary. */
async function* multipart(parts: Part[], { end = true } = {}): AsyncGenerator<Uint8Array> {
  for (const p of parts) {
    yield enc.encode(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="files"; filename="${p.name}"\r\nContent-Type: image/png\r\n\r\n`);
    if (p.bytes instanceof Uint8Array) yield p.bytes;
    else yield* p.bytes;
    yield enc.encode('\r\n');
  }
  if (end) yield enc.encode(`--${BOUNDARY}--\r\n`);
}

/**
 * Sends the body as it is produced, with node:http (undici's fetch keeps every chunk of a streamed
 * request body alive until the request ends, which would hide what the server holds).
 */
function post(body: AsyncIterable<Uint8Array>): Promise<{ status: number; json: () => Promise<unknown> }> {
  return new Promise((resolve, reject) => {
    const url = new URL(`${server.url}/api/projects/${projectId}/images`);
    let answered = false;
    const req = request(url, { method: 'POST', headers: { Authorization: `Bearer ${token}`, 'content-type': `multipart/form-data; boundary=${BOUNDARY}` } }, (res) => {
      answered = true;
      const parts: Buffer[] = [];
      res.on('data', (c: Buffer) => parts.push(c));
      res.on('end', () => resolve({ status: res.statusCode!, json: async () => JSON.parse(Buffer.concat(parts).toString('utf8')) }));
      res.on('error', reject);
    });
    // A refusal can come before the whole body is sent; the server then closes the connection, and
    // writing the rest fails (EPIPE) after the answer arrived.
    req.on('error', (e) => answered || reject(e));
    // A body that fails (a check inside it) fails the request, and the test with its message.
    const source = Readable.from(body);
    source.on('error', (e) => {
      req.destroy();
      reject(e);
    });
    source.pipe(req);
  });
}

const imageCount = () => server.db.$client.prepare('select count(*) from images').pluck().get() as number;
/** Bytes in the blob store's temp files: an upload in progress. */
const partBytes = () => {
  const tmp = join(blobDir(server.config), 'tmp');
  return readdirSync(tmp).filter((f) => f.endsWith('.part')).reduce((n, f) => n + statSync(join(tmp, f)).size, 0);
};
const small = (shade: number) => sharp({ create: { width: 8, height: 8, channels: 3, background: { r: shade, g: 0, b: 0 } } }).png().toBuffer();

describe('streamed uploads', () => {
  it('stores a 200 MB image as it arrives (what was sent is on disk before the body ends), without holding it, and the SHA-256 is right', async () => {
    // Warm up (sharp, the routes, the blob folders) so that the baseline is the server at work.
    expect((await post(multipart([{ name: 'warm.png', bytes: await small(1) }]))).status).toBe(201);
    const png = pngStream(8192, 8192);
    const base = process.memoryUsage().rss;
    let peak = base;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 5);
    let sent = 0;
    let onDiskMidway = -1;
    async function* counted() {
      for await (const c of png.bytes) {
        sent += c.byteLength;
        yield c;
        // Halfway, the client holds the rest back: a server that streams writes what it was sent
        // to the blob store (all but what is in flight); one that buffers the body writes nothing.
        if (onDiskMidway < 0 && sent >= 100 * MB) {
          const slack = 16 * MB;
          await until(() => partBytes() >= sent - slack, [every(20)], 30_000, () => `the server to write what it was sent: ${(partBytes() / MB).toFixed(1)} of ${(sent / MB).toFixed(1)} MB in the blob store's temp file`);
          onDiskMidway = partBytes();
        }
      }
    }
    const res = await post(multipart([{ name: 'huge.png', bytes: counted() }]));
    const body = (await res.json()) as { items: { sha256: string; width: number; height: number; thumbSha256: string }[] };
    clearInterval(sampler);
    peak = Math.max(peak, process.memoryUsage().rss);
    expect(res.status).toBe(201);
    expect(sent).toBeGreaterThan(200_000_000);
    expect(onDiskMidway).toBeGreaterThanOrEqual(84 * MB);
    expect(body.items[0]).toMatchObject({ sha256: png.digest(), width: 8192, height: 8192 });
    // The blob as served is the same bytes (hashed as it streams back).
    const blob = await fetch(`${server.url}/api/blobs/${png.digest()}`, { headers: { Authorization: `Bearer ${token}` } });
    const hash = createHash('sha256');
    let served = 0;
    for await (const c of blob.body as unknown as AsyncIterable<Uint8Array>) {
      hash.update(c);
      served += c.byteLength;
    }
    expect([served, hash.digest('hex')]).toEqual([sent, png.digest()]);
    const thumb = await sharp(Buffer.from(await (await fetch(`${server.url}/api/blobs/${body.items[0].thumbSha256}`, { headers: { Authorization: `Bearer ${token}` } })).arrayBuffer())).metadata();
    expect([thumb.width, thumb.height]).toEqual([256, 256]);
    const growth = peak - base;
    // The check above is what proves the streaming. RSS is shared with this process's client and
    // noisy (libvips decoding the thumbnail, the allocator; 40-96 MB seen on CI), so it only guards
    // against holding the whole upload, which grows by more than all of it (hono's bodyLimit did:
    // 570-830 MB here).
    expect(growth, `RSS grew ${(growth / MB).toFixed(0)} MB for a ${(sent / MB).toFixed(0)} MB upload`).toBeLessThan(sent);
  });

  it('refuses a body that ends inside the second file with 400 naming the part, and records nothing', async () => {
    const before = imageCount();
    const cut = async function* () {
      yield* multipart([{ name: 'first.png', bytes: await small(2) }], { end: false });
      yield enc.encode(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="files"; filename="second.png"\r\n\r\n`);
      yield (await small(3)).subarray(0, 20);
    };
    const res = await post(cut());
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { code: string; message: string } }).error).toEqual({
      code: 'bad_request',
      message: 'multipart part 2 ("second.png"): the body ended before the closing boundary',
    });
    expect(imageCount()).toBe(before);
  });

  it('refuses a part without a name with 400 naming it, and a body without the boundary', async () => {
    const before = imageCount();
    const noName = async function* () {
      yield enc.encode(`--${BOUNDARY}\r\nContent-Disposition: form-data; filename="x.png"\r\n\r\n`);
      yield await small(4);
      yield enc.encode(`\r\n--${BOUNDARY}--\r\n`);
    };
    const res = await post(noName());
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { message: string } }).error.message).toBe('multipart part 1: Content-Disposition has no name');
    const none = await post((async function* () { yield enc.encode('no multipart here'); })());
    expect(none.status).toBe(400);
    expect(((await none.json()) as { error: { message: string } }).error.message).toBe(`multipart body: no boundary "--${BOUNDARY}" found`);
    expect(imageCount()).toBe(before);
  });
});
