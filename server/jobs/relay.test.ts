// Job events from a separate `tessera worker` process reach the server's project event stream:
// the server runs no jobs itself (jobConcurrency 0), a real worker child process runs a two-step
// pipeline, and an SSE client sees each step's job run and succeed and the run succeed.
import { spawn, type ChildProcess } from 'node:child_process';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../main.ts';
import { seedProject, tempDir, type SeededProject } from '../testing/fixtures.ts';
import { openSse } from '../testing/sse.ts';

const ROOT = resolve(fileURLToPath(import.meta.url), '../../..');
const TEST_STAGES = join(ROOT, 'server/jobs/test-stages');
const dir = tempDir();
let server: RunningServer;
let s: SeededProject;
let child: ChildProcess | null = null;

beforeAll(async () => {
  server = await startServer({ port: 0, dataDir: dir.dir, clientDir: null, quiet: true, stageDirs: [TEST_STAGES], jobConcurrency: 0 });
  s = seedProject(server.db);
});
afterAll(async () => {
  if (child && child.exitCode === null && child.signalCode === null) {
    const gone = new Promise((r) => child!.once('exit', r));
    child.kill('SIGTERM');
    await gone;
  }
  await server.close();
  dir.cleanup();
});

function worker(): Promise<ChildProcess> {
  const c = spawn(process.execPath, [join(ROOT, 'scripts/tessera.js'), 'worker', '--data', dir.dir, '--stages', TEST_STAGES, '--poll-ms', '20'], { cwd: dir.dir, stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  c.stderr!.on('data', (d) => (err += d));
  return new Promise((ok, fail) => {
    let out = '';
    c.stdout!.on('data', (d) => ((out += d), out.includes(' ready: ') && ok(c)));
    c.once('exit', (code) => fail(new Error(`worker exited (${code}) before it was ready: ${err}`)));
  });
}

it('a run executed by a worker process shows on the event stream: each job running and succeeded, then the run', async () => {
  const sse = await openSse(`${server.url}/api/projects/${s.projectId}/events`, s.tokens.engineer);
  try {
    await sse.next((e) => e.event === 'ready');
    const file = join(dir.dir, 'effects.txt');
    const pipeline = { name: 'elsewhere', stages: [{ id: 'first', uses: 'append', with: { file } }, { id: 'second', uses: 'append', needs: ['first'], with: { file } }] };
    const res = await fetch(`${server.url}/api/projects/${s.projectId}/pipeline-runs`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${s.tokens.engineer}`, 'content-type': 'application/json' },
      body: JSON.stringify(pipeline),
    });
    expect(res.status).toBe(201);
    const { id: runId } = (await res.json()) as { id: string };
    child = await worker();
    const run = await sse.next((e) => e.event === 'run' && e.data.run.id === runId && e.data.run.status !== 'running', 30_000, 'the run to end');
    expect(run.data.run.status).toBe('succeeded');
    const jobs = sse.events.filter((e) => e.event === 'job' && e.data.job.runId === runId).map((e) => `${e.data.job.stepId}:${e.data.job.state}`);
    // Both steps' jobs ended as succeeded on the stream, each after it was seen queued or running (or at once, when it ran between two looks).
    for (const step of ['first', 'second']) expect(jobs.filter((j) => j.startsWith(`${step}:`)).at(-1)).toBe(`${step}:succeeded`);
    expect(jobs.indexOf('first:succeeded')).toBeLessThan(jobs.indexOf('second:succeeded'));
  } finally {
    sse.close();
  }
});
