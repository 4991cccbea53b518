// `tessera serve --demo` as a user runs it: a child process, /health, every demo login, SIGTERM.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../../server/testing/fixtures.ts';
import { DEMO_ACCOUNTS } from '../../server/demo.ts';

const CLI = new URL('../tessera.js', import.meta.url).pathname;
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
  child = spawn(process.execPath, [CLI, 'serve', '--demo', '--port', '0', '--data', dir.dir, '--no-client'], { stdio: ['ignore', 'pipe', 'pipe'] });
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

describe('tessera serve --demo', () => {
  it('answers /health with 200', async () => {
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

  it('shuts down cleanly on SIGTERM', async () => {
    child.kill('SIGTERM');
    const [code] = await once(child, 'close');
    expect(code).toBe(0);
    expect(output).toContain('shutting down');
  });
});
