// The `import` stage: a zip served over loopback HTTP and a folder land in the project's documents
// (the manager may create the classes they use; an engineer's run is refused naming the class); a
// URL that answers 404 or never answers fails naming it; a path outside the working directory is refused;
// a URL on loopback or a private address is refused unless the server allows it.
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createServer, type Server, type ServerResponse } from 'node:http';
import { join, relative } from 'node:path';
import { zipSync } from 'fflate';
import { afterEach, expect, it } from 'vitest';
import { seedProject } from '../../testing/fixtures.ts';
import { jobHarness, realResources, type JobHarness } from '../../testing/jobs.ts';
import { fsStageFiles } from '../../adapters/fs/stage-files.ts';
import { importStage } from './import.ts';

let h: JobHarness;
let http: Server | null = null;
const hanging: ServerResponse[] = [];
afterEach(async () => {
  await h.close();
  hanging.splice(0).forEach((r) => r.destroy());
  await new Promise((r) => (http ? http.close(r) : r(null)));
  http = null;
});

const coco = (category: string, fileName = 'free.png') => ({
  images: [{ id: 1, file_name: fileName, width: 640, height: 480 }],
  categories: [{ id: 1, name: category }],
  annotations: [{ id: 1, image_id: 1, category_id: 1, bbox: [1, 2, 3, 4], area: 12, iscrowd: 0 }],
});

it('imports a zip from an http URL and a folder; names the URL that answers 404 or never answers, and the path that escapes', async () => {
  // The files are served from loopback: allowed explicitly (the default refuses it, tested below).
  h = jobHarness([importStage(fsStageFiles(), { allowPrivateAddresses: true })], new URL('./import.ts', import.meta.url).href, { resourcesFor: realResources() });
  const s = seedProject(h.db); // has free.png (640 × 480)
  const zip = zipSync({ 'dataset/annotations.json': new TextEncoder().encode(JSON.stringify(coco('car'))) });
  http = createServer((req, res) => {
    if (req.url === '/data.zip') res.writeHead(200, { 'content-type': 'application/zip' }).end(Buffer.from(zip));
    else if (req.url === '/slow.zip') hanging.push(res); // headers never sent
    else if (req.url === '/stalls.zip') (res.writeHead(200, { 'content-length': '1000' }).write('PK'), hanging.push(res)); // body never finished
    else res.writeHead(404).end('no');
  });
  await new Promise<void>((r) => http!.listen(0, '127.0.0.1', r));
  const base = `http://127.0.0.1:${(http.address() as { port: number }).port}`;
  const run = async (params: Record<string, unknown>, by = s.users.manager.id) => {
    const { job } = await h.queue.enqueue({ stage: 'import', params: { format: 'coco', ...params }, projectId: s.projectId, createdBy: by, maxAttempts: 3 });
    h.runner.wake();
    return h.settled(job.id);
  };

  const refused = await run({ source: `${base}/data.zip` }, s.users.engineer.id);
  expect(refused).toMatchObject({ state: 'failed', attempts: 1, errors: [{ code: 'forbidden', message: expect.stringContaining('no class "car"') }] });
  const ok = await run({ source: `${base}/data.zip` });
  expect(ok.state, JSON.stringify(ok.errors)).toBe('succeeded');
  expect(ok.result).toMatchObject({ files: 1, report: { shapes: 1, classesCreated: ['car'] } });

  const folder = { dir: mkdtempSync(join(process.cwd(), '.import-test-')), cleanup() { rmSync(this.dir, { recursive: true, force: true }); } };
  try {
    mkdirSync(join(folder.dir, 'labels'));
    writeFileSync(join(folder.dir, 'labels', 'annotations.json'), JSON.stringify(coco('car', 'other.png')));
    const fromFolder = await run({ source: relative(process.cwd(), folder.dir) }, s.users.engineer.id); // "car" exists now
    expect(fromFolder.state, JSON.stringify(fromFolder.errors)).toBe('succeeded');
    expect(fromFolder.result).toMatchObject({ files: 1, report: { shapes: 1, classesCreated: [] } });
  } finally {
    folder.cleanup();
  }

  const missing = await run({ source: `${base}/nope.zip` });
  expect(missing).toMatchObject({ state: 'failed', attempts: 1, errors: [{ code: 'source', message: `import: ${base}/nope.zip answered 404 Not Found` }] });
  const silent = await run({ source: `${base}/slow.zip`, timeoutMs: 300 });
  expect(silent.state).toBe('dead'); // a timeout may pass: retried, then dead with every attempt's error
  expect(silent.errors.map((e) => e.message)).toEqual(Array(3).fill(`import: ${base}/slow.zip: no answer within 300 ms`));
  const stalls = await run({ source: `${base}/stalls.zip`, timeoutMs: 300 }, s.users.manager.id);
  expect(stalls.errors[0].message).toBe(`import: ${base}/stalls.zip: the answer did not finish within 300 ms`);
  const escape = await run({ source: '../../etc' });
  expect(escape.state).toBe('failed');
  expect(escape.errors[0].message).toMatch(/^import: with.source: \.\.\/\.\.\/etc is outside the server's working directory$|does not exist$/);
});

it("refuses a local source that reaches into the data folder (every project's blobs), contains it, or leaves the working directory through a link", async () => {
  const root = mkdtempSync(join(process.cwd(), '.import-test-'));
  try {
    const data = join(root, 'data');
    mkdirSync(join(data, 'blobs'), { recursive: true });
    writeFileSync(join(data, 'blobs', 'ab'), 'someone else’s image');
    mkdirSync(join(root, 'mine'));
    symlinkSync(tmpdir(), join(root, 'mine', 'out'));
    h = jobHarness([importStage(fsStageFiles(), { privateDirs: [data] })], new URL('./import.ts', import.meta.url).href, { resourcesFor: realResources() });
    const s = seedProject(h.db);
    const run = async (source: string) => {
      const { job } = await h.queue.enqueue({ stage: 'import', params: { format: 'coco', source }, projectId: s.projectId, createdBy: s.users.manager.id, maxAttempts: 3 });
      h.runner.wake();
      return h.settled(job.id);
    };
    const rel = (p: string) => relative(process.cwd(), p);
    for (const source of [rel(join(data, 'blobs')), rel(data), rel(root)]) {
      const refused = await run(source);
      expect(refused).toMatchObject({ state: 'failed', attempts: 1, errors: [{ code: 'params', message: `import: with.source: ${source} reaches into the server's data folder` }] });
    }
    const viaLink = await run(rel(join(root, 'mine', 'out')));
    expect(viaLink.errors[0].message).toMatch(/is outside the server's working directory$/);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

it('refuses a URL on loopback or a private address by default, naming it and the switch, without retrying', async () => {
  h = jobHarness([importStage(fsStageFiles())], new URL('./import.ts', import.meta.url).href, { resourcesFor: realResources() });
  const s = seedProject(h.db);
  for (const source of ['http://127.0.0.1:9/data.zip', 'http://localhost:9/data.zip', 'http://169.254.169.254/latest/meta-data/']) {
    const { job } = await h.queue.enqueue({ stage: 'import', params: { format: 'coco', source }, projectId: s.projectId, createdBy: s.users.manager.id, maxAttempts: 3 });
    h.runner.wake();
    const done = await h.settled(job.id);
    expect(done).toMatchObject({ state: 'failed', attempts: 1, errors: [{ code: 'params', message: expect.stringContaining(`import: with.source: ${source}: refused: `) }] });
    expect(done.errors[0].message).toContain('TESSERA_IMPORT_ALLOW_PRIVATE=1');
  }
});
