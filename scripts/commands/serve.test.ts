// `tessera serve --demo` as a user runs it: a child process under plain Node, from the bundle
// (scripts/cli-bundle.js), with TypeScript user stages in a --stages folder (each bundled by
// esbuild): /health, every demo login, a user stage's StageError keeping its code, an import
// through the worker thread, SIGTERM.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { cpSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProjectEvent } from '../../shared/api/events.ts';
import type { JobDetail, RunView } from '../../shared/api/jobs.ts';
import { readSse } from '../../shared/api/sse.ts';
import { tempDir } from '../../server/testing/fixtures.ts';
import { DEMO_ACCOUNTS } from '../../server/demo.ts';
import { STAGE_CACHE } from '../../server/adapters/fs/stage-bundle.ts';

const CLI = new URL('../tessera.js', import.meta.url).pathname;
// TypeScript stages that import shared/stage.ts from source: `append` and `fail` (a StageError, not retryable).
const TEST_STAGES = fileURLToPath(new URL('../../server/jobs/test-stages/', import.meta.url));
const FIXTURES = fileURLToPath(new URL('../../../shared/fixtures/interop/', import.meta.url));
const dir = tempDir();
let child: ChildProcess;
let url: string;
let output = '';

function waitForLine(re: RegExp): Promise<RegExpExecArray> {
  return new Promise((resolve, reject) => {
    const check = () => {
      const m = re.exec(output);
      if (!m) return;
      child.stdout!.off('data', check);
      resolve(m);
    };
    child.stdout!.on('data', check);
    child.once('exit', (code) => reject(new Error(`serve exited with ${code} before printing ${re}:\n${output}`)));
    check();
  });
}

beforeAll(async () => {
  const env: NodeJS.ProcessEnv = { ...process.env, TESSERA_DEBUG: '1' };
  delete env.TESSERA_NO_BUNDLE;
  child = spawn(process.execPath, [CLI, 'serve', '--demo', '--port', '0', '--data', dir.dir, '--no-client', '--stages', TEST_STAGES], { stdio: ['ignore', 'pipe', 'pipe'], env });
  // Registered first, so that `output` holds everything before any waiter looks at it.
  child.stdout!.prependListener('data', (b: Buffer) => (output += b.toString()));
  child.stderr!.on('data', (b: Buffer) => (output += b.toString()));
  url = (await waitForLine(/listening on (http:\/\/\S+)/))[1];
  await waitForLine(/for trying Tessera only/);
});
afterAll(() => {
  if (child.exitCode === null) child.kill('SIGKILL');
  dir.cleanup();
});

const login = async (username: string) =>
  ((await (await fetch(`${url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: 'tessera' }) })).json()) as { token: string }).token;

describe('tessera serve --demo', () => {
  it('runs from the bundle under plain Node and answers /health with 200', async () => {
    expect(output).toMatch(/tessera: serve runs from \S+\/node_modules\/\.cache\/tessera-cli\/serve\.mjs/);
    expect(output).not.toContain('through tsx');
    expect((await fetch(`${url}/health`)).status).toBe(200);
  });

  it('prints every demo account and each can sign in and sees the demo project with its role', async () => {
    for (const a of DEMO_ACCOUNTS) {
      expect(output).toContain(a.username);
      const res = await fetch(`${url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: a.username, password: 'tessera' }) });
      expect(res.status, a.username).toBe(200);
      const { token } = (await res.json()) as { token: string };
      const projects = (await (await fetch(`${url}/api/projects`, { headers: { Authorization: `Bearer ${token}` } })).json()) as { items: { name: string; role: string }[] };
      expect(projects.items).toEqual([expect.objectContaining({ name: 'demo', role: a.role })]);
    }
  });

  it('seeded images assigned to both annotators', async () => {
    const { token } = (await (await fetch(`${url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'annotator1', password: 'tessera' }) })).json()) as { token: string };
    const me = (await (await fetch(`${url}/api/me`, { headers: { Authorization: `Bearer ${token}` } })).json()) as { memberships: { projectId: string }[] };
    const list = (await (await fetch(`${url}/api/projects/${me.memberships[0].projectId}/images`, { headers: { Authorization: `Bearer ${token}` } })).json()) as { items: { status: string }[] };
    expect(list.items.length).toBe(12);
    // The demo shows every review state (server/demo.ts seeds them through the review service).
    expect(new Set(list.items.map((i) => i.status))).toEqual(new Set(['assigned', 'in_progress', 'submitted', 'approved', 'changes_requested']));
  });

  it('seeded two releases: @2 diffs against @1 (one image added, one shape relabelled), prod on @1 validated by QA', async () => {
    const { token } = (await (await fetch(`${url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'engineer', password: 'tessera' }) })).json()) as { token: string };
    const get = async <T,>(path: string) => (await (await fetch(`${url}/api${path}`, { headers: { Authorization: `Bearer ${token}` } })).json()) as T;
    const [project] = (await get<{ items: { id: string }[] }>('/projects')).items;
    type Summary = { number: number; id: string; parent: string | null; aliases: string[]; qa: { status: string } | null; counts: { images: number } };
    const list = await get<{ items: Summary[] }>(`/projects/${project.id}/releases`);
    expect(list.items.map((r) => [r.number, r.aliases])).toEqual([[2, ['latest']], [1, ['prod']]]);
    const [second, first] = list.items;
    expect(second.parent).toBe(first.id);
    expect(first.qa?.status).toBe('validated');
    expect(second.counts.images).toBe(first.counts.images + 1);
    const detail = await get<{ diff: { counts: Record<string, number> }; generatedNotes: string[] }>(`/projects/${project.id}/releases/2`);
    expect(detail.diff.counts).toMatchObject({ imagesAdded: 1, imagesRemoved: 0, imagesChanged: 1, shapesRelabelled: 1, shapesMoved: 0 });
    expect(detail.generatedNotes.join(' ')).toMatch(/Since @1: 1 image added, 1 image changed/);
  });

  it('seeded one finished pipeline run (validate, then report and a COCO export) with its jobs and logs', async () => {
    const { token } = (await (await fetch(`${url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'qa', password: 'tessera' }) })).json()) as { token: string };
    const get = async <T,>(path: string) => (await (await fetch(`${url}/api${path}`, { headers: { Authorization: `Bearer ${token}` } })).json()) as T;
    const [project] = (await get<{ items: { id: string }[] }>('/projects')).items;
    const runs = await get<{ items: { id: string; name: string; status: string }[] }>(`/projects/${project.id}/pipeline-runs`);
    expect(runs.items.map((r) => [r.name, r.status])).toEqual([['demo-check', 'succeeded']]);
    type Run = { edges: { from: string; to: string }[]; steps: { stepId: string; status: string; job: { id: string; stage: string } }[] };
    const run = await get<Run>(`/projects/${project.id}/pipeline-runs/${runs.items[0].id}`);
    expect(run.steps.map((st) => [st.stepId, st.job.stage, st.status])).toEqual([['check', 'validate', 'succeeded'], ['eda', 'report', 'succeeded'], ['coco', 'export', 'succeeded']]);
    expect(run.edges).toEqual([{ from: 'check', to: 'eda' }, { from: 'check', to: 'coco' }]);
    const job = await get<{ log: { line: string }[] }>(`/projects/${project.id}/jobs/${run.steps[2].job.id}`);
    expect(job.log.map((l) => l.line).join('\n')).toMatch(/coco files/);
  });

  it('loads TypeScript user stages from --stages; a StageError thrown by one keeps its code and fails the job at once', async () => {
    const token = await login('engineer');
    const auth = { Authorization: `Bearer ${token}` };
    const get = async <T,>(path: string) => (await (await fetch(`${url}/api${path}`, { headers: auth })).json()) as T;
    const stages = await get<{ items: { name: string; origin: string }[] }>('/stages');
    expect(stages.items.filter((st) => ['append', 'fail'].includes(st.name)).map((st) => st.origin)).toEqual(['user', 'user']);
    // Bundled by esbuild, not compiled by a loader in the server (server/adapters/fs/stage-bundle.ts).
    expect(readdirSync(STAGE_CACHE).filter((f) => /^(append|fail)-[0-9a-f]{12}\.json$/.test(f))).toHaveLength(2);
    const [project] = (await get<{ items: { id: string }[] }>('/projects')).items;
    const stop = new AbortController();
    const stream = await fetch(`${url}/api/projects/${project.id}/events`, { headers: { ...auth, accept: 'text/event-stream' }, signal: stop.signal });
    const events = readSse(stream.body!);
    expect((await events.next()).value?.event).toBe('ready');
    const effects = join(dir.dir, 'effects.txt');
    const pipeline = { name: 'user-stages', stages: [{ id: 'one', uses: 'append', with: { file: effects } }, { id: 'boom', uses: 'fail', needs: ['one'] }] };
    const started = (await (await fetch(`${url}/api/projects/${project.id}/pipeline-runs`, { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify(pipeline) })).json()) as { id: string };
    let status = 'running';
    for await (const e of events) {
      const ev = e.data as ProjectEvent;
      if (ev.type === 'run' && ev.run.id === started.id && ev.run.status !== 'running') (status = ev.run.status);
      if (status !== 'running') break;
    }
    stop.abort();
    expect(status).toBe('failed');
    expect(readFileSync(effects, 'utf8').trim().split('\n')).toHaveLength(1);
    const view = await get<RunView>(`/projects/${project.id}/pipeline-runs/${started.id}`);
    const boom = await get<JobDetail>(`/projects/${project.id}/jobs/${view.steps.find((st) => st.stepId === 'boom')!.job!.id}`);
    // The runner saw the user stage's StageError (another copy of shared/stage.ts than the bundle's): its code, and not retried.
    expect(boom.attempts).toBe(1);
    expect(boom.errors).toEqual([expect.objectContaining({ code: 'test', message: 'fail: this stage always fails' })]);
    expect(boom.errors[0].retryAt).toBeUndefined();
  });

  it('imports a YOLO folder (parsed in the import worker thread, which registers tsx itself)', async () => {
    const yolo = join(dir.dir, 'yolo');
    mkdirSync(join(yolo, 'labels'), { recursive: true });
    mkdirSync(join(yolo, 'images'), { recursive: true });
    cpSync(join(FIXTURES, '06_lsconv_yolo_classes.txt'), join(yolo, 'classes.txt'));
    cpSync(join(FIXTURES, '07_lsconv_yolo_labels_img_4.txt'), join(yolo, 'labels/img_4.txt'));
    await sharp({ create: { width: 640, height: 494, channels: 3, background: '#123456' } }).png().toFile(join(yolo, 'images/img_4.png'));
    const token = await login('manager');
    const r = await promisify(execFile)(process.execPath, [CLI, 'import', '--server', url, '--project', 'demo', '--format', 'yolo', yolo], { env: { ...process.env, TESSERA_TOKEN: token } });
    expect(r.stdout).toContain('imported 4 shapes into 1 images of "demo"');
  });

  it('shuts down cleanly on SIGTERM', async () => {
    child.kill('SIGTERM');
    const [code] = await once(child, 'close');
    expect(code).toBe(0);
    expect(output).toContain('shutting down');
  });
});
