// Import into a project through the real server: annotation files (and images, or a zip) in,
// filled `ann:` documents out; a rejected file imports nothing.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { zipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readShapes, readTags } from '../../shared/doc/index.ts';
import { startServer, type RunningServer } from '../main.ts';
import { createUser, login } from '../services/auth.ts';
import { connectSyncClient } from '../sync/client.ts';
import { tempDir } from '../testing/fixtures.ts';

const FIXTURES = fileURLToPath(new URL('../../../shared/fixtures/interop/', import.meta.url));
const fixture = (name: string) => readFileSync(FIXTURES + name);

let server: RunningServer;
let token: string;
const dir = tempDir();

const png = (w: number, h: number) => sharp({ create: { width: w, height: h, channels: 3, background: '#336699' } }).png().toBuffer();
const jpg = (w: number, h: number) => sharp({ create: { width: w, height: h, channels: 3, background: '#996633' } }).jpeg().toBuffer();

async function newProject(name: string): Promise<string> {
  const r = await fetch(`${server.url}/api/projects`, { method: 'POST', headers: { Authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify({ name }) });
  return ((await r.json()) as { id: string }).id;
}

async function importFiles(projectId: string, format: string, files: { name: string; bytes: Uint8Array }[], extra: Record<string, string> = {}) {
  const form = new FormData();
  form.append('format', format);
  for (const [k, v] of Object.entries(extra)) form.append(k, v);
  for (const f of files) form.append('files', new Blob([f.bytes as Uint8Array<ArrayBuffer>]), f.name);
  const res = await fetch(`${server.url}/api/projects/${projectId}/imports`, { method: 'POST', headers: { Authorization: `Bearer ${token}` }, body: form });
  return { status: res.status, body: (await res.json()) as any };
}

const classesOf = async (projectId: string) =>
  ((await (await fetch(`${server.url}/api/projects/${projectId}/classes`, { headers: { Authorization: `Bearer ${token}` } })).json()) as { items: { id: string; name: string }[] }).items;
const imagesOf = async (projectId: string) =>
  ((await (await fetch(`${server.url}/api/projects/${projectId}/images`, { headers: { Authorization: `Bearer ${token}` } })).json()) as { items: { id: string; fileName: string; status: string }[] }).items;
const docOf = (imageId: string) => server.docs.read(`ann:${imageId}`);

beforeAll(async () => {
  server = await startServer({ port: 0, dataDir: dir.dir, clientDir: null });
  await createUser(server.services, { username: 'boss', password: 'boss-pass', isAdmin: true }, null);
  token = (await login(server.services, 'boss', 'boss-pass')).token;
});
afterAll(async () => {
  await server.close();
  dir.cleanup();
});

describe('POST /api/projects/:id/imports', () => {
  it('imports the datumaro COCO fixture with its image: sparse categories by name, polygon attributes, crowd RLE', async () => {
    const pid = await newProject('coco');
    const r = await importFiles(pid, 'coco', [
      { name: 'instances_val.json', bytes: fixture('01_datumaro_coco_instances_val.json') },
      { name: 'b.jpg', bytes: await jpg(5, 10) },
    ]);
    expect(r.status).toBe(200);
    expect(r.body.images).toEqual({ uploaded: 1, existing: 0 });
    // Category "c" is declared but no annotation uses it: not created (issue 7, finding 6).
    expect(r.body.classesCreated).toEqual(['a', 'b']);
    expect(r.body.annotated).toEqual([expect.objectContaining({ fileName: 'b.jpg', shapes: 2 })]);
    const classes = new Map((await classesOf(pid)).map((c) => [c.name, c.id]));
    const [image] = await imagesOf(pid);
    expect(image.status).toBe('in_progress');
    const { shapes, problems } = readShapes(await docOf(image.id));
    expect(problems).toEqual([]);
    const polygon = shapes.find((s) => s.kind === 'polygon')!;
    expect(polygon.label).toBe(classes.get('a'));
    expect(polygon.points).toEqual([0, 0, 1, 0, 1, 2, 0, 2]);
    expect(polygon.attrs).toMatchObject({ x: 1, y: 'hello' });
    const crowd = shapes.find((s) => s.kind === 'box')!;
    expect(crowd.label).toBe(classes.get('b'));
    expect(crowd.attrs.iscrowd).toBe(1);
    expect(crowd.attrs.rle).toEqual({ counts: [0, 20, 30], size: [10, 5] });
  });

  it('imports YOLO labels against uploaded image sizes, worked out by hand', async () => {
    const pid = await newProject('yolo');
    const r = await importFiles(pid, 'yolo', [
      { name: 'classes.txt', bytes: fixture('06_lsconv_yolo_classes.txt') },
      { name: 'labels/img_4.txt', bytes: fixture('07_lsconv_yolo_labels_img_4.txt') },
      { name: 'images/img_4.png', bytes: await png(640, 494) },
    ]);
    expect(r.status).toBe(200);
    expect(r.body.shapes).toBe(4);
    const classes = new Map((await classesOf(pid)).map((c) => [c.id, c.name]));
    const [image] = await imagesOf(pid);
    const shapes = readShapes(await docOf(image.id)).shapes;
    // Line 1: `3 0.371875 0.56376… 0.034375 0.07085…` on 640×494 → number [227, 261, 22, 35].
    const number = shapes.find((s) => classes.get(s.label) === 'number')!;
    const [x, y, w, h] = number.points;
    expect(x).toBeCloseTo(227, 6);
    expect(y).toBeCloseTo(261, 6);
    expect(w).toBeCloseTo(22, 6);
    expect(h).toBeCloseTo(35, 6);
    expect(shapes.filter((s) => classes.get(s.label) === 'closed_door')).toHaveLength(2);
  });

  it('imports a zip of a VOC file and its image, with 1-based bounds converted', async () => {
    const pid = await newProject('voc');
    const xml = fixture('04_datumaro_voc_2007_000001.xml').toString();
    const size = /<width>(\d+)<\/width>\s*<height>(\d+)<\/height>/.exec(xml)!;
    const file = /<filename>([^<]+)<\/filename>/.exec(xml)![1];
    const zip = zipSync({ 'Annotations/2007_000001.xml': new TextEncoder().encode(xml), [`JPEGImages/${file}`]: await jpg(Number(size[1]), Number(size[2])) });
    const r = await importFiles(pid, 'voc', [{ name: 'voc.zip', bytes: zip }]);
    expect(r.status).toBe(200);
    expect(r.body.images.uploaded).toBe(1);
    expect(r.body.annotated[0].fileName).toBe(file);
    expect(r.body.shapes).toBeGreaterThan(0);
  });

  it('rejects a truncated COCO file naming the file and position, and imports nothing', async () => {
    const pid = await newProject('broken');
    const text = fixture('01_datumaro_coco_instances_val.json').toString();
    const r = await importFiles(pid, 'coco', [
      { name: 'broken.json', bytes: new TextEncoder().encode(text.slice(0, 400)) },
      { name: 'b.jpg', bytes: await jpg(5, 10) },
    ]);
    expect(r.status).toBe(400);
    expect(r.body.error.message).toMatch(/^broken\.json: /);
    expect(r.body.error.message).toMatch(/line \d+/);
    expect(await imagesOf(pid)).toEqual([]);
    expect(await classesOf(pid)).toEqual([]);
  });

  it('skips what it cannot match, and does not import twice into the same document', async () => {
    const pid = await newProject('again');
    const files = [
      { name: 'instances_val.json', bytes: fixture('01_datumaro_coco_instances_val.json') },
      { name: 'b.jpg', bytes: await jpg(5, 10) },
    ];
    expect((await importFiles(pid, 'coco', files)).body.shapes).toBe(2);
    const again = await importFiles(pid, 'coco', files);
    expect(again.status).toBe(200);
    expect(again.body.images).toEqual({ uploaded: 0, existing: 1 });
    expect(again.body.shapes).toBe(0);
    expect(again.body.skipped).toEqual([{ fileName: 'b.jpg', reason: 'already has 2 shapes; not imported again' }]);
    const [image] = await imagesOf(pid);
    expect(readShapes(await docOf(image.id)).shapes).toHaveLength(2);

    const orphan = await importFiles(await newProject('orphan'), 'coco', files.slice(0, 1));
    expect(orphan.body.skipped).toEqual([{ fileName: 'b.jpg', reason: 'no image with this file name in the upload or the project' }]);
  });

  it('imports Label Studio choices as tags and picks the named annotator', async () => {
    const pid = await newProject('ls');
    const ls = JSON.parse(fixture('08_lsconv_labelstudio_export_2annotators.json').toString());
    // Label Studio names uploads `<8 hex>-<original>`; the image is uploaded under its original name.
    for (const task of ls) task.data.image = '/data/upload/1/abcd1234-street.png';
    const result = ls[0].annotations[0].result[0];
    const r = await importFiles(pid, 'labelstudio', [
      { name: 'export.json', bytes: new TextEncoder().encode(JSON.stringify(ls.slice(0, 1))) },
      { name: 'street.png', bytes: await png(result.original_width, result.original_height) },
    ]);
    expect(r.status).toBe(200);
    expect(r.body.annotated.length).toBeGreaterThan(0);
    const [image] = await imagesOf(pid);
    expect(readShapes(await docOf(image.id)).shapes.length).toBe(r.body.annotated[0].shapes);
    expect(readTags(await docOf(image.id))).toHaveLength(r.body.annotated[0].tags);
  });

  it('refuses an unknown format naming the field', async () => {
    const r = await importFiles(await newProject('fmt'), 'kitti', [{ name: 'a.json', bytes: new Uint8Array([123, 125]) }]);
    expect(r.status).toBe(400);
    expect(r.body.error.message).toContain('"format"');
  });
});

describe('label classes in use', () => {
  it('refuses to delete a class that imported shapes use, and deletes an unused one', async () => {
    const pid = await newProject('in-use');
    await importFiles(pid, 'coco', [
      { name: 'instances_val.json', bytes: fixture('01_datumaro_coco_instances_val.json') },
      { name: 'b.jpg', bytes: await jpg(5, 10) },
    ]);
    await fetch(`${server.url}/api/projects/${pid}/classes`, { method: 'POST', headers: { Authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify({ name: 'c', color: '#123456' }) });
    const classes = new Map((await classesOf(pid)).map((c) => [c.name, c.id]));
    const del = (id: string) => fetch(`${server.url}/api/projects/${pid}/classes/${id}`, { method: 'DELETE', headers: { Authorization: `Bearer ${token}` } });
    const refused = await del(classes.get('a')!);
    expect(refused.status).toBe(409);
    expect(((await refused.json()) as { error: { message: string } }).error.message).toBe('class "a" is used by 1 shape; relabel or delete them first');
    expect((await del(classes.get('c')!)).status).toBe(200);
  });
});

describe('import while someone is connected', () => {
  it('reaches a connected client live, and later client edits keep both', async () => {
    const pid = await newProject('live');
    // Upload the image first, connect a client to its document, then import the annotations.
    const form = new FormData();
    form.append('files', new Blob([(await jpg(5, 10)) as Uint8Array<ArrayBuffer>]), 'b.jpg');
    const up = await fetch(`${server.url}/api/projects/${pid}/images`, { method: 'POST', headers: { Authorization: `Bearer ${token}` }, body: form });
    const imageId = ((await up.json()) as { items: { id: string }[] }).items[0].id;
    const client = connectSyncClient({ url: server.url, docName: `ann:${imageId}`, token });
    try {
      await client.synced();
      const arrived = new Promise<void>((resolve) => {
        const check = () => readShapes(client.doc).shapes.length === 2 && resolve();
        client.doc.on('update', check);
      });
      const r = await importFiles(pid, 'coco', [{ name: 'instances_val.json', bytes: fixture('01_datumaro_coco_instances_val.json') }]);
      expect(r.body.shapes).toBe(2);
      await arrived;
      expect(readShapes(await docOf(imageId)).shapes).toHaveLength(2);
      // The import is attributed to the importing user in the update log.
      const authors = server.db.$client.prepare('select distinct user_id from doc_updates where doc_name = ?').pluck().all(`ann:${imageId}`);
      expect(authors).toContain((await login(server.services, 'boss', 'boss-pass')).user.id);
    } finally {
      client.destroy();
    }
  });
});

describe('zip archives', () => {
  it('refuses an archive whose entries unpack past the limits before inflating them (413)', async () => {
    // A server with small limits: 1 MB a file, 5 MB a request.
    const small = await startServer({ port: 0, dataDir: `${dir.dir}/bomb`, clientDir: null, maxImageBytes: 1_000_000, maxUploadBytes: 5_000_000 });
    try {
      await createUser(small.services, { username: 'boss', password: 'boss-pass', isAdmin: true }, null);
      const t2 = (await login(small.services, 'boss', 'boss-pass')).token;
      const p = await fetch(`${small.url}/api/projects`, { method: 'POST', headers: { Authorization: `Bearer ${t2}`, 'content-type': 'application/json' }, body: JSON.stringify({ name: 'bomb' }) });
      const id = ((await p.json()) as { id: string }).id;
      const post = async (zip: Uint8Array) => {
        const form = new FormData();
        form.append('format', 'coco');
        form.append('files', new Blob([zip as Uint8Array<ArrayBuffer>]), 'bomb.zip');
        const res = await fetch(`${small.url}/api/projects/${id}/imports`, { method: 'POST', headers: { Authorization: `Bearer ${t2}` }, body: form });
        return { status: res.status, body: (await res.json()) as { error: { message: string } } };
      };
      const big = zipSync({ 'a.json': new Uint8Array(2_000_000) }, { level: 9 });
      expect(big.byteLength).toBeLessThan(10_000);
      const one = await post(big);
      expect(one.status).toBe(413);
      expect(one.body.error.message).toContain('entry "a.json" unpacks to 2000000 bytes');
      const many = zipSync(Object.fromEntries(Array.from({ length: 8 }, (_, i) => [`part${i}.json`, new Uint8Array(900_000)])), { level: 9 });
      const all = await post(many);
      expect(all.status).toBe(413);
      expect(all.body.error.message).toContain('unpacks to more than 5000000 bytes');
      expect(small.db.$client.prepare('select count(*) from images').pluck().get()).toBe(0);
    } finally {
      await small.close();
    }
  });
});

describe('matching annotations to images', () => {
  it('skips an image whose size differs from the annotation file, saying so', async () => {
    const pid = await newProject('sizes');
    const coco = JSON.parse(fixture('01_datumaro_coco_instances_val.json').toString());
    coco.images[0].width = 10; // the fixture says 5×10; the image is 5×10, so claim 10×5
    coco.images[0].height = 5;
    const r = await importFiles(pid, 'coco', [
      { name: 'instances.json', bytes: new TextEncoder().encode(JSON.stringify(coco)) },
      { name: 'b.jpg', bytes: await jpg(5, 10) },
    ]);
    expect(r.status).toBe(200);
    expect(r.body.shapes).toBe(0);
    expect(r.body.skipped).toEqual([{ fileName: 'b.jpg', reason: 'the annotations are for a 10×5 image but this image is 5×10 (turned a quarter: EXIF orientation?)' }]);
  });

  it('YOLO: considers only images with a label file or in the upload, and refuses two label files for one image name', async () => {
    const pid = await newProject('yolo-scope');
    const classes = { name: 'classes.txt', bytes: new TextEncoder().encode('car\n') };
    const first = await importFiles(pid, 'yolo', [classes, { name: 'labels/a.txt', bytes: new TextEncoder().encode('0 0.5 0.5 0.5 0.5\n') }, { name: 'a.png', bytes: await png(20, 20) }]);
    expect(first.body.shapes).toBe(1);
    // A second import for another image does not report (or read) the first one.
    const second = await importFiles(pid, 'yolo', [classes, { name: 'labels/b.txt', bytes: new TextEncoder().encode('0 0.5 0.5 0.2 0.2\n') }, { name: 'b.png', bytes: await png(30, 30) }]);
    expect(second.body.shapes).toBe(1);
    expect(second.body.skipped).toEqual([]);
    const dup = await importFiles(pid, 'yolo', [
      classes,
      { name: 'labels/train/c.txt', bytes: new TextEncoder().encode('0 0.5 0.5 0.5 0.5\n') },
      { name: 'labels/val/c.txt', bytes: new TextEncoder().encode('0 0.1 0.1 0.1 0.1\n') },
      { name: 'c.png', bytes: await png(40, 40) },
    ]);
    expect(dup.status).toBe(400);
    expect(dup.body.error.message).toBe('labels/val/c.txt: same image name "c" as labels/train/c.txt; import one split at a time');
    expect((await imagesOf(pid)).map((i) => i.fileName)).toEqual(['a.png', 'b.png']);
  });
});

describe('audit log', () => {
  it('records members, tokens, uploads, assignment and imports with actor and subject', async () => {
    const pid = await newProject('audited');
    const boss = (await login(server.services, 'boss', 'boss-pass')).user.id;
    const ann = await createUser(server.services, { username: 'audited-ann', password: 'ann-password' }, boss);
    const call = (method: string, path: string, body?: unknown) =>
      fetch(`${server.url}${path}`, { method, headers: { Authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
    await call('POST', `/api/projects/${pid}/members`, { username: 'audited-ann', role: 'annotator' });
    await call('PATCH', `/api/projects/${pid}/members/${ann.id}`, { role: 'reviewer' });
    const tok = (await (await call('POST', '/api/me/tokens', { name: 'ci' })).json()) as { id: string };
    await call('DELETE', `/api/me/tokens/${tok.id}`);
    await importFiles(pid, 'coco', [
      { name: 'instances_val.json', bytes: fixture('01_datumaro_coco_instances_val.json') },
      { name: 'b.jpg', bytes: await jpg(5, 10) },
    ]);
    const [image] = await imagesOf(pid);
    await call('POST', `/api/projects/${pid}/images/assign`, { imageIds: [image.id], assignee: ann.id });
    await call('DELETE', `/api/projects/${pid}/members/${ann.id}`);

    const page = (await (await call('GET', `/api/projects/${pid}/audit?limit=100`)).json()) as { items: { action: string; actorId: string; subject: string }[] };
    const actions = page.items.map((i) => i.action).reverse();
    expect(actions).toEqual([
      'project.create',
      'member.add',
      'member.update',
      'image.upload',
      'class.create',
      'class.create',
      'review.edited', // the imported shapes moved the image from new to in_progress
      'import',
      'image.assign',
      'member.remove',
    ]);
    expect(page.items.every((i) => i.actorId === boss)).toBe(true);
    expect(page.items.find((i) => i.action === 'member.remove')!.subject).toBe(ann.id);
    // Token actions belong to no project; they are in the log all the same.
    const tokenRows = server.db.$client.prepare("select action from audit_log where subject = ? order by id").pluck().all(tok.id);
    expect(tokenRows).toEqual(['token.create', 'token.revoke']);
  });
});
