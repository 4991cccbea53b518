// Uploads and blobs against the real server on port 0 with real PNG, JPEG and WebP files.
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../main.ts';
import { createUser, login } from '../services/auth.ts';
import { tempDir } from '../testing/fixtures.ts';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

let server: RunningServer;
let token: string;
let projectId: string;
const dir = tempDir();
const LIMIT = 200_000;

const raw = (w: number, h: number) => sharp({ create: { width: w, height: h, channels: 3, background: { r: 200, g: 40, b: 90 } } });

async function upload(files: { name: string; bytes: Uint8Array; type?: string }[], t = token) {
  const form = new FormData();
  for (const f of files) form.append('files', new Blob([f.bytes as Uint8Array<ArrayBuffer>], { type: f.type ?? 'application/octet-stream' }), f.name);
  return fetch(`${server.url}/api/projects/${projectId}/images`, { method: 'POST', headers: { Authorization: `Bearer ${t}` }, body: form });
}
const api = (path: string, init: RequestInit = {}) =>
  fetch(`${server.url}${path}`, { ...init, headers: { Authorization: `Bearer ${token}`, ...(init.headers as Record<string, string>) } });

beforeAll(async () => {
  server = await startServer({ port: 0, dataDir: dir.dir, clientDir: null, maxImageBytes: LIMIT });
  await createUser(server.services, { username: 'boss', password: 'boss-pass', isAdmin: true }, null);
  token = (await login(server.services, 'boss', 'boss-pass')).token;
  const r = await api('/api/projects', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'up' }) });
  projectId = ((await r.json()) as { id: string }).id;
});
afterAll(async () => {
  await server.close();
  dir.cleanup();
});

describe('image upload', () => {
  it('accepts PNG, JPEG and WebP in one request and reads their sizes', async () => {
    const files = [
      { name: 'a.png', bytes: await raw(64, 32).png().toBuffer() },
      { name: 'b.jpg', bytes: await raw(50, 40).jpeg().toBuffer() },
      { name: 'c.webp', bytes: await raw(30, 70).webp().toBuffer() },
    ];
    const res = await upload(files);
    expect(res.status).toBe(201);
    const { items } = (await res.json()) as { items: { fileName: string; mime: string; width: number; height: number; created: boolean; thumbSha256: string }[] };
    expect(items.map((i) => [i.fileName, i.mime, i.width, i.height, i.created])).toEqual([
      ['a.png', 'image/png', 64, 32, true],
      ['b.jpg', 'image/jpeg', 50, 40, true],
      ['c.webp', 'image/webp', 30, 70, true],
    ]);
    // Thumbnails are real WebP images no larger than 256 px.
    const thumb = await api(`/api/blobs/${items[0].thumbSha256}`);
    expect(thumb.headers.get('content-type')).toBe('image/webp');
    const meta = await sharp(Buffer.from(await thumb.arrayBuffer())).metadata();
    expect(meta.format).toBe('webp');
  });

  it('swaps width and height for a JPEG with EXIF orientation 6', async () => {
    const bytes = await raw(120, 80).jpeg().withMetadata({ orientation: 6 }).toBuffer();
    const res = await upload([{ name: 'rotated.jpg', bytes }]);
    const { items } = (await res.json()) as { items: { width: number; height: number }[] };
    expect([items[0].width, items[0].height]).toEqual([80, 120]);
  });

  it('refuses a text file named .jpg with 415, naming the file, and records nothing', async () => {
    const before = server.db.$client.prepare('select count(*) from images').pluck().get();
    const good = await raw(10, 10).png().toBuffer();
    const res = await upload([
      { name: 'fine.png', bytes: good },
      { name: 'notes.jpg', bytes: new TextEncoder().encode('just some text, not an image') },
    ]);
    expect(res.status).toBe(415);
    expect(((await res.json()) as { error: { message: string } }).error.message).toContain('"notes.jpg"');
    expect(server.db.$client.prepare('select count(*) from images').pluck().get()).toBe(before);
  });

  it('refuses a file over the per-file limit with 413', async () => {
    const big = await sharp({ create: { width: 600, height: 600, channels: 3, background: '#808080', noise: { type: 'gaussian', mean: 128, sigma: 60 } } }).png().toBuffer();
    expect(big.byteLength).toBeGreaterThan(LIMIT);
    const res = await upload([{ name: 'big.png', bytes: big }]);
    expect(res.status).toBe(413);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('payload_too_large');
  });

  it('stores the same bytes once, and a second upload returns the existing image', async () => {
    const bytes = await raw(21, 21).png().toBuffer();
    const first = (await (await upload([{ name: 'same.png', bytes }])).json()) as { items: { id: string; sha256: string; created: boolean }[] };
    const again = await upload([{ name: 'same-again.png', bytes }]);
    expect(again.status).toBe(200);
    const second = (await again.json()) as { items: { id: string; created: boolean }[] };
    expect(second.items[0]).toMatchObject({ id: first.items[0].id, created: false });
    const sha = first.items[0].sha256;
    const copies = readdirSync(join(dir.dir, 'blobs', sha.slice(0, 2))).filter((f) => f.startsWith(sha));
    expect(copies).toEqual([sha]);
  });

  it('keeps a file name like ../../etc/passwd as text only', async () => {
    const bytes = await raw(11, 13).png().toBuffer();
    const res = await upload([{ name: '../../etc/passwd', bytes }]);
    const { items } = (await res.json()) as { items: { id: string; fileName: string }[] };
    expect(items[0].fileName).toBe('../../etc/passwd');
    const listed = (await (await api(`/api/projects/${projectId}/images?limit=1000`)).json()) as { items: { fileName: string }[] };
    expect(listed.items.map((i) => i.fileName)).toContain('../../etc/passwd');
  });

  it('pages and filters the image list', async () => {
    const all = (await (await api(`/api/projects/${projectId}/images?limit=1000`)).json()) as { items: { id: string; fileName: string }[] };
    const page1 = (await (await api(`/api/projects/${projectId}/images?limit=2`)).json()) as { items: { id: string }[]; next: string };
    const page2 = (await (await api(`/api/projects/${projectId}/images?limit=2&cursor=${page1.next}`)).json()) as { items: { id: string }[] };
    expect([...page1.items, ...page2.items].map((i) => i.id)).toEqual(all.items.slice(0, 4).map((i) => i.id));
    const none = (await (await api(`/api/projects/${projectId}/images?status=approved`)).json()) as { items: unknown[] };
    expect(none.items).toEqual([]);
    const names = all.items.map((i) => (i as unknown as { fileName: string }).fileName);
    expect(names).toEqual([...names].sort());
    const badCursor = await api(`/api/projects/${projectId}/images?cursor=nonsense`);
    expect(badCursor.status).toBe(400);
    expect(((await badCursor.json()) as { error: { message: string } }).error.message).toContain('"cursor"');
    const bad = await api(`/api/projects/${projectId}/images?status=done`);
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { message: string } }).error.message).toContain('"status"');
  });

  it('assigns images only to members who can annotate them, and says why otherwise', async () => {
    const all = (await (await api(`/api/projects/${projectId}/images?limit=1`)).json()) as { items: { id: string; assignee: string | null }[] };
    const json = { 'content-type': 'application/json' };
    for (const [username, role] of [['up-eng', 'engineer'], ['up-ann', 'annotator']] as const) {
      await createUser(server.services, { username, password: 'secret-pass' }, null);
      await api(`/api/projects/${projectId}/members`, { method: 'POST', headers: json, body: JSON.stringify({ username, role }) });
    }
    const people = (await (await api(`/api/projects/${projectId}/members`)).json()) as { items: { userId: string; username: string }[] };
    const idOf = (u: string) => people.items.find((m) => m.username === u)!.userId;
    const assign = (assignee: string) =>
      api(`/api/projects/${projectId}/images/assign`, { method: 'POST', headers: json, body: JSON.stringify({ imageIds: [all.items[0]!.id], assignee }) });
    const refused = await assign(idOf('up-eng'));
    expect(refused.status).toBe(400);
    expect(((await refused.json()) as { error: { message: string } }).error.message).toBe(
      'an engineer cannot annotate, so cannot be assigned images: choose an annotator, reviewer or manager',
    );
    const after = (await (await api(`/api/projects/${projectId}/images?limit=1`)).json()) as { items: { assignee: string | null }[] };
    expect(after.items[0]!.assignee).toBe(all.items[0]!.assignee);
    expect((await assign(idOf('up-ann'))).status).toBe(200);
  });
});

describe('blobs', () => {
  let sha: string;
  let bytes: Buffer;
  beforeAll(async () => {
    bytes = await raw(40, 40).png().toBuffer();
    sha = ((await (await upload([{ name: 'range.png', bytes }])).json()) as { items: { sha256: string }[] }).items[0].sha256;
  });

  it('serves the bytes with a strong ETag, revalidated each time (access re-checked), and 304 on If-None-Match', async () => {
    const res = await api(`/api/blobs/${sha}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('etag')).toBe(`"${sha}"`);
    expect(res.headers.get('cache-control')).toBe('private, no-cache');
    expect(Buffer.from(await res.arrayBuffer()).equals(bytes)).toBe(true);
    const again = await api(`/api/blobs/${sha}`, { headers: { 'If-None-Match': `"${sha}"` } });
    expect(again.status).toBe(304);
    const listed = await api(`/api/blobs/${sha}`, { headers: { 'If-None-Match': `"other", W/"${sha}"` } });
    expect(listed.status).toBe(304);
    const other = await api(`/api/blobs/${sha}`, { headers: { 'If-None-Match': '"other"' } });
    expect(other.status).toBe(200);
  });

  it('answers a Range request with 206 and exactly those bytes', async () => {
    const res = await api(`/api/blobs/${sha}`, { headers: { Range: 'bytes=10-29' } });
    expect(res.status).toBe(206);
    expect(res.headers.get('content-range')).toBe(`bytes 10-29/${bytes.length}`);
    expect(Buffer.from(await res.arrayBuffer()).equals(bytes.subarray(10, 30))).toBe(true);
    const tail = await api(`/api/blobs/${sha}`, { headers: { Range: 'bytes=-5' } });
    expect(Buffer.from(await tail.arrayBuffer()).equals(bytes.subarray(bytes.length - 5))).toBe(true);
    const past = await api(`/api/blobs/${sha}`, { headers: { Range: `bytes=${bytes.length}-` } });
    expect(past.status).toBe(416);
  });

  it('answers 404 for an unknown blob and 400 for a malformed id', async () => {
    expect((await api(`/api/blobs/${'0'.repeat(64)}`)).status).toBe(404);
    expect((await api('/api/blobs/../../etc/passwd')).status).toBe(404);
    expect((await api('/api/blobs/XYZ')).status).toBe(400);
  });
});

describe('login rate limit over real sockets', () => {
  it('counts by the socket address: a spoofed X-Forwarded-For neither dodges nor aims it', async () => {
    const limited = await startServer({ port: 0, dataDir: `${dir.dir}/rl`, clientDir: null, loginAttempts: 3 });
    try {
      await createUser(limited.services, { username: 'qa', password: 'qa-password' }, null);
      const attempt = (password: string, forwarded?: string) =>
        fetch(`${limited.url}/api/auth/login`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...(forwarded ? { 'x-forwarded-for': forwarded } : {}) },
          body: JSON.stringify({ username: 'qa', password }),
        }).then((r) => r.status);
      for (let i = 0; i < 3; i++) expect(await attempt('wrong', `spoofed-${i}`)).toBe(401);
      expect(await attempt('wrong', 'spoofed-x')).toBe(429);
      expect(await attempt('qa-password', 'spoofed-y')).toBe(429);
    } finally {
      await limited.close();
    }
  });
});
