// Finding 5 (issue 7): hostile zip imports are refused with 413 before they are inflated, in the
// import worker, while /health keeps answering.
import { deflateSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../main.ts';
import { createUser, login } from '../services/auth.ts';
import { tempDir } from '../testing/fixtures.ts';
import { craftZip } from '../testing/zip-craft.ts';

let server: RunningServer;
let token: string;
let projectId: string;
const dir = tempDir();

beforeAll(async () => {
  server = await startServer({ port: 0, dataDir: dir.dir, clientDir: null });
  await createUser(server.services, { username: 'boss', password: 'boss-pass', isAdmin: true }, null);
  token = (await login(server.services, 'boss', 'boss-pass')).token;
  const r = await fetch(`${server.url}/api/projects`, { method: 'POST', headers: { Authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify({ name: 'bombs' }) });
  projectId = ((await r.json()) as { id: string }).id;
});
afterAll(async () => {
  await server.close();
  dir.cleanup();
});

/** Posts an import and probes /health back to back until it is answered. */
async function importWhileProbing(format: string, zip: Uint8Array) {
  const form = new FormData();
  form.append('format', format);
  form.append('files', new Blob([zip as Uint8Array<ArrayBuffer>]), 'bomb.zip');
  let done = false;
  const answer = fetch(`${server.url}/api/projects/${projectId}/imports`, { method: 'POST', headers: { Authorization: `Bearer ${token}` }, body: form })
    .then(async (r) => ({ status: r.status, body: (await r.json()) as { error: { code: string; message: string } } }))
    .finally(() => (done = true));
  const probes: number[] = [];
  while (!done) {
    const t0 = performance.now();
    expect((await fetch(`${server.url}/health`)).status).toBe(200);
    probes.push(performance.now() - t0);
  }
  return { ...(await answer), probes };
}

const voc = (i: number) =>
  `<annotation><filename>img${i}.jpg</filename><size><width>640</width><height>480</height><depth>3</depth></size>` +
  '<object><name>car</name><bndbox><xmin>1</xmin><ymin>1</ymin><xmax>10</xmax><ymax>10</ymax></bndbox></object>'.repeat(20_000) +
  '</annotation>';

describe('zip bombs on POST /api/projects/:id/imports', () => {
  it('refuses entries sharing the same data (47 kB that would inflate to ~1 GB)', async () => {
    const zip = craftZip([{ name: 'instances.json', content: new Uint8Array(20 * 1024 * 1024) }], Array.from({ length: 50 }, (_, i) => ({ local: 0, name: `part${i}.json` })));
    expect(zip.length).toBeLessThan(50_000);
    const r = await importWhileProbing('coco', zip);
    expect(r.status).toBe(413);
    expect(r.body.error.message).toMatch(/share the same bytes/);
  });

  it('refuses an entry that declares 10 bytes and inflates to far more, without inflating it all', async () => {
    const zip = craftZip([{ name: 'instances.json', content: new Uint8Array(16 * 1024 * 1024) }], [{ local: 0, size: 10 }]);
    const r = await importWhileProbing('coco', zip);
    expect(r.status).toBe(413);
    expect(r.body.error.message).toMatch(/inflates to more than the 10 bytes it declares/);
  });

  it('refuses overlapping VOC XML entries (one entry nested inside another\'s stored data)', async () => {
    // Entry "outer.xml" is stored; its bytes are a whole local entry "inner.xml" (deflated XML), so
    // the directory can list both and inflating "outer" re-reads "inner".
    const xml = new TextEncoder().encode(voc(0));
    const inner = craftZip([{ name: 'inner.xml', content: xml }]);
    const innerLocal = inner.subarray(0, inner.length - 22 - (46 + 'inner.xml'.length)); // its local header + data only
    const zip = craftZip([{ name: 'outer.xml', content: innerLocal, method: 0 }], [{ local: 0 }]);
    // Patch in a second directory entry pointing inside "outer" (at inner's local header).
    const nested = withExtraCentral(zip, 30 + 'outer.xml'.length, 'inner.xml', deflateSync(xml, { level: 9 }).length, xml.length);
    const r = await importWhileProbing('voc', nested);
    expect(r.status).toBe(413);
    expect(r.body.error.message).toMatch(/share the same bytes/);
  });

  it('still imports an honest zip (the worker reads it)', async () => {
    const zip = craftZip([{ name: 'a.xml', content: new TextEncoder().encode(voc(1).replace(/(<object>.*?<\/object>)+/, '$1')) }]);
    const r = await importWhileProbing('voc', zip);
    expect(r.status).toBe(200);
  });
});

/** Appends one more central directory entry (deflate) pointing at `localOffset`. */
function withExtraCentral(zip: Uint8Array, localOffset: number, name: string, compressed: number, size: number): Uint8Array {
  const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
  const end = zip.length - 22;
  const cdSize = view.getUint32(end + 12, true);
  const cdOffset = view.getUint32(end + 16, true);
  const n = view.getUint16(end + 10, true);
  const nameBytes = new TextEncoder().encode(name);
  const entry = new Uint8Array(46 + nameBytes.length);
  const e = new DataView(entry.buffer);
  e.setUint32(0, 0x02014b50, true);
  e.setUint16(4, 20, true);
  e.setUint16(6, 20, true);
  e.setUint16(10, 8, true);
  e.setUint32(20, compressed, true);
  e.setUint32(24, size, true);
  e.setUint16(28, nameBytes.length, true);
  e.setUint32(42, localOffset, true);
  entry.set(nameBytes, 46);
  const out = new Uint8Array(zip.length + entry.length);
  out.set(zip.subarray(0, cdOffset + cdSize), 0);
  out.set(entry, cdOffset + cdSize);
  out.set(zip.subarray(end), cdOffset + cdSize + entry.length);
  const o = new DataView(out.buffer);
  const newEnd = out.length - 22;
  o.setUint16(newEnd + 8, n + 1, true);
  o.setUint16(newEnd + 10, n + 1, true);
  o.setUint32(newEnd + 12, cdSize + entry.length, true);
  return out;
}
