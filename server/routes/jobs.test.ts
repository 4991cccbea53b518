// The Jobs REST API and the project event stream through the real server: an invalid pipeline is
// a 400 naming the path; a valid one runs to the end with progress and state on the SSE stream;
// a job is cancelled and retried over REST; annotators' streams carry no job events.
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../main.ts';
import { seedProject, tempDir, type SeededProject } from '../testing/fixtures.ts';
import { openSse } from '../testing/sse.ts';

const TEST_STAGES = fileURLToPath(new URL('../jobs/test-stages/', import.meta.url));
let server: RunningServer;
let s: SeededProject;
const dir = tempDir();

beforeAll(async () => {
  server = await startServer({ port: 0, dataDir: dir.dir, clientDir: null, quiet: true, stageDirs: [TEST_STAGES] });
  s = seedProject(server.db);
});
afterAll(async () => {
  await server.close();
  dir.cleanup();
});

const api = (path: string, token: string, init: RequestInit = {}) =>
  fetch(`${server.url}/api${path}`, { ...init, headers: { Authorization: `Bearer ${token}`, ...(init.headers ?? {}) } });
const post = (path: string, token: string, body: string, type = 'application/json') => api(path, token, { method: 'POST', body, headers: { 'content-type': type } });

describe('jobs API', () => {
  it('lists the registered stages with their parameter schemas', async () => {
    const res = await api('/stages', s.tokens.annotator);
    const { items } = (await res.json()) as { items: { name: string; version: string; params: { properties?: object } }[] };
    const append = items.find((i) => i.name === 'append')!;
    expect(append.version).toBe('1');
    expect(append.params.properties).toHaveProperty('file');
    expect(items.map((i) => i.name)).toContain('class-balance');
  });

  it('rejects an invalid pipeline with the path of each problem, and YAML syntax errors with the line', async () => {
    const yaml = 'name: bad\nstages:\n  - id: a\n    uses: append\n    with: { file: 3 }\n  - { id: b, uses: nope, needs: [a] }\n';
    const res = await post(`/projects/${s.projectId}/pipeline-runs`, s.tokens.engineer, yaml, 'text/yaml');
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: { code: string; message: string; details: { problems: string[] } } };
    expect(body.error.code).toBe('validation');
    expect(body.error.details.problems).toEqual(['stages[0].with.file: expected string', 'stages[1].uses: no stage named "nope"']);
    const syntax = await post(`/projects/${s.projectId}/pipeline-runs`, s.tokens.engineer, 'name: x\nstages: [\n', 'text/yaml');
    expect(syntax.status).toBe(400);
    expect(((await syntax.json()) as { error: { message: string } }).error.message).toMatch(/^pipeline file: line \d+, column \d+: /);
    expect((await (await api(`/projects/${s.projectId}/pipeline-runs`, s.tokens.engineer)).json())).toEqual({ items: [], next: null });
  });

  it('runs a pipeline to the end, pushing job and run events to the stream', async () => {
    const sse = await openSse(`${server.url}/api/projects/${s.projectId}/events`, s.tokens.reviewer);
    const quiet = await openSse(`${server.url}/api/projects/${s.projectId}/events`, s.tokens.annotator);
    try {
      await sse.next((e) => e.event === 'ready');
      const file = join(dir.dir, 'effects.txt');
      const pipeline = { name: 'two', stages: [{ id: 'first', uses: 'append', with: { file } }, { id: 'second', uses: 'append', needs: ['first'], with: { file } }] };
      const res = await post(`/projects/${s.projectId}/pipeline-runs`, s.tokens.engineer, JSON.stringify(pipeline));
      expect(res.status).toBe(201);
      const started = (await res.json()) as { id: string; jobs: { stepId: string; jobId: string }[] };
      expect(started.jobs.map((j) => j.stepId)).toEqual(['first']);
      const done = await sse.next((e) => e.event === 'run' && e.data.run.id === started.id && e.data.run.status === 'succeeded', 20_000, 'the run to succeed');
      expect(done.data.run.steps.map((x: { status: string }) => x.status)).toEqual(['succeeded', 'succeeded']);
      const jobEvents = sse.events.filter((e) => e.event === 'job').map((e) => `${e.data.job.stepId}:${e.data.job.state}`);
      expect(jobEvents).toEqual(expect.arrayContaining(['first:running', 'first:succeeded', 'second:running', 'second:succeeded']));
      expect(jobEvents.indexOf('first:succeeded')).toBeLessThan(jobEvents.indexOf('second:running'));
      const run = (await (await api(`/projects/${s.projectId}/pipeline-runs/${started.id}`, s.tokens.qa)).json()) as any;
      expect(run).toMatchObject({ name: 'two', status: 'succeeded', edges: [{ from: 'first', to: 'second' }] });
      expect(run.steps[1].job).toMatchObject({ state: 'succeeded', stageVersion: '1', attempts: 1 });
      expect(run.steps[1].job.stageSourceSha).toMatch(/^[0-9a-f]{64}$/);
      const list = (await (await api(`/projects/${s.projectId}/pipeline-runs`, s.tokens.engineer)).json()) as any;
      expect(list.items.map((r: { id: string }) => r.id)).toContain(started.id);
      // An annotator's stream (no pipelines.read) carried none of it.
      expect(quiet.events.map((e) => e.event)).toEqual(['ready']);
      // Another project's job is not found through this one.
      const other = await api(`/projects/${s.otherProjectId}/jobs/${run.steps[0].job.id}`, s.tokens.outsider);
      expect([403, 404]).toContain(other.status);
    } finally {
      sse.close();
      quiet.close();
    }
  });

  it('cancels a running job and retries it over REST', async () => {
    const sse = await openSse(`${server.url}/api/projects/${s.projectId}/events`, s.tokens.engineer);
    try {
      const file = join(dir.dir, 'hang.txt');
      const res = await post(`/projects/${s.projectId}/pipeline-runs`, s.tokens.manager, JSON.stringify({ name: 'hang', stages: [{ id: 'h', uses: 'hang-once', with: { file } }] }));
      const { id: runId, jobs } = (await res.json()) as { id: string; jobs: { jobId: string }[] };
      const jobId = jobs[0].jobId;
      await sse.next((e) => e.event === 'job' && e.data.job.id === jobId && e.data.job.state === 'running', 20_000, 'the job to start');
      expect((await post(`/projects/${s.projectId}/jobs/${jobId}/cancel`, s.tokens.annotator, '')).status).toBe(403);
      const cancel = await post(`/projects/${s.projectId}/jobs/${jobId}/cancel`, s.tokens.engineer, '');
      expect(cancel.status).toBe(200);
      await sse.next((e) => e.event === 'job' && e.data.job.id === jobId && e.data.job.state === 'cancelled', 20_000, 'the job to be cancelled');
      const cancelledRun = await sse.next((e) => e.event === 'run' && e.data.run.id === runId && e.data.run.status === 'cancelled', 20_000, 'the run to be cancelled');
      expect(cancelledRun.data.run.steps[0].status).toBe('cancelled');
      const retry = await post(`/projects/${s.projectId}/jobs/${jobId}/retry`, s.tokens.engineer, '');
      expect(retry.status).toBe(200);
      await sse.next((e) => e.event === 'run' && e.data.run.id === runId && e.data.run.status === 'succeeded', 20_000, 'the retried run to succeed');
      const job = (await (await api(`/projects/${s.projectId}/jobs/${jobId}`, s.tokens.qa)).json()) as any;
      expect(job).toMatchObject({ state: 'succeeded', errors: [{ code: 'cancelled' }] });
      expect((await post(`/projects/${s.projectId}/jobs/${jobId}/retry`, s.tokens.engineer, '')).status).toBe(409);
      // Each change is audited with its actor; the refused ones are not.
      const rows = await auditRows(`action=job.*&subject=${jobId}`);
      expect(rows.map((r) => [r.action, r.actorId, r.details.from])).toEqual([
        ['job.retry', s.users.engineer.id, 'cancelled'],
        ['job.cancel', s.users.engineer.id, 'running'],
      ]);
      expect(rows[0].details).toMatchObject({ stage: 'hang-once', runId, stepId: 'h' });
      const start = await auditRows(`action=pipeline.start&subject=${runId}`);
      expect(start).toMatchObject([{ actorId: s.users.manager.id, details: { name: 'hang', steps: [{ id: 'h', uses: 'hang-once' }] } }]);
    } finally {
      sse.close();
    }
  });

  it('audits cancelling a whole run once, and not a refused start', async () => {
    const file = join(dir.dir, 'hang-run.txt');
    const bad = await post(`/projects/${s.projectId}/pipeline-runs`, s.tokens.engineer, JSON.stringify({ name: 'nope', stages: [{ id: 'x', uses: 'nope' }] }));
    expect(bad.status).toBe(400);
    expect(await auditRows('action=pipeline.start')).not.toContainEqual(expect.objectContaining({ details: expect.objectContaining({ name: 'nope' }) }));
    const res = await post(`/projects/${s.projectId}/pipeline-runs`, s.tokens.engineer, JSON.stringify({ name: 'hang-run', stages: [{ id: 'h', uses: 'hang-once', with: { file } }, { id: 'after', uses: 'append', needs: ['h'], with: { file } }] }));
    const { id: runId } = (await res.json()) as { id: string };
    expect((await post(`/projects/${s.projectId}/pipeline-runs/${runId}/cancel`, s.tokens.annotator, '')).status).toBe(403);
    const cancelled = (await (await post(`/projects/${s.projectId}/pipeline-runs/${runId}/cancel`, s.tokens.engineer, '')).json()) as { status: string; pipeline: { name: string } };
    expect(cancelled).toMatchObject({ status: 'cancelled', pipeline: { name: 'hang-run' } });
    // A second cancel of a finished run changes nothing and writes nothing.
    expect((await post(`/projects/${s.projectId}/pipeline-runs/${runId}/cancel`, s.tokens.manager, '')).status).toBe(200);
    const rows = await auditRows(`action=pipeline.cancel&subject=${runId}`);
    expect(rows).toMatchObject([{ actorId: s.users.engineer.id, details: { name: 'hang-run', status: 'cancelled' } }]);
  });
});

async function auditRows(query: string): Promise<{ action: string; actorId: string | null; subject: string; details: any }[]> {
  const res = await api(`/projects/${s.projectId}/audit?${query}`, s.tokens.manager);
  expect(res.status).toBe(200);
  return ((await res.json()) as { items: { action: string; actorId: string | null; subject: string; details: any }[] }).items;
}
