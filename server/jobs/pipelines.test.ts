// Pipeline runs on a real SQLite queue: DAG order, parents' outputs as children's input, a failed
// parent skipping its descendants, cached re-runs, cancelling a whole run, retrying a step.
import { fsStageFiles } from '../adapters/fs/stage-files.ts';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineStage, StageError } from '../../shared/stage.ts';
import { sqliteJobQueue } from '../adapters/sqlite/job-queue.ts';
import { sqlitePipelineRuns } from '../adapters/sqlite/pipeline-runs.ts';
import { inProcessEventBus } from '../adapters/memory/event-bus.ts';
import type { ProjectEvent } from '../../shared/api/events.ts';
import type { RunRecord } from '../ports/pipeline-runs.ts';
import { seedProject, tempDb } from '../testing/fixtures.ts';
import { noServices } from '../testing/jobs.ts';
import { stageRegistry } from './registry.ts';
import { createJobSystem, type JobSystem } from './system.ts';
import { fileURLToPath } from 'node:url';

const order: string[] = [];
let failing = true;
const emit = defineStage({
  name: 'emit',
  version: 1,
  params: z.object({ value: z.number() }),
  output: z.object({ value: z.number() }),
  work: async (_i, ctx) => (order.push(ctx.job.stepId!), { value: ctx.params.value }),
});
const sum = defineStage({
  name: 'sum',
  version: 1,
  params: z.object({ fail: z.boolean().default(false) }),
  input: z.record(z.string(), z.object({ value: z.number() })).or(z.object({ value: z.number() })),
  output: z.object({ value: z.number() }),
  work: async (input, ctx) => {
    order.push(ctx.job.stepId!);
    if (ctx.params.fail && failing) throw new StageError('asked to fail', { retryable: false });
    const values = 'value' in input && typeof input.value === 'number' ? [input.value] : Object.values(input as Record<string, { value: number }>).map((v) => v.value);
    return { value: values.reduce((a, b) => a + b, 0) };
  },
});
const gate = defineStage({
  name: 'gate',
  version: 1,
  cache: false,
  output: z.null(),
  work: (_i, ctx) =>
    new Promise<null>((_resolve, reject) => {
      if (ctx.signal.aborted) reject(ctx.signal.reason);
      ctx.signal.addEventListener('abort', () => reject(ctx.signal.reason));
    }),
});

let sys: JobSystem;
let bus: ReturnType<typeof inProcessEventBus>;
let P = '';
let U = '';
let events: ProjectEvent[];
let cleanup = () => {};
afterEach(async () => {
  await sys.runner.stop();
  cleanup();
});

function setup() {
  const t = tempDb();
  cleanup = t.cleanup;
  const stages = stageRegistry(fsStageFiles());
  for (const s of [emit, sum, gate]) stages.add(s, fileURLToPath(import.meta.url));
  const seeded = seedProject(t.db);
  P = seeded.projectId;
  U = seeded.users.engineer.id;
  bus = inProcessEventBus();
  events = [];
  bus.subscribe(P, (e) => events.push(e));
  sys = createJobSystem({
    queue: sqliteJobQueue(t.db),
    runs: sqlitePipelineRuns(t.db),
    stages,
    events: bus,
    resources: () => ({ blobs: null as never, services: noServices }),
    pollMs: 20,
    leaseMs: 5_000,
    log: () => {},
  });
  sys.runner.start();
  return sys;
}

/** Resolves when the run's events say it finished (checked against the stored run). */
const finished = (runId: string) =>
  new Promise<RunRecord>((resolve) => {
    let off = () => {};
    const check = async () => {
      const r = await sys.pipelines.get(runId);
      if (r && r.status !== 'running') (off(), resolve(r));
    };
    off = bus.subscribe(P, (e) => void (e.type === 'run' && e.run.id === runId && check()));
    void check();
  });

const diamond = (failB = false) => ({
  name: 'diamond',
  stages: [
    { id: 'total', uses: 'sum', needs: ['b', 'c'] },
    { id: 'a', uses: 'emit', with: { value: 1 } },
    { id: 'b', uses: 'sum', needs: ['a'], with: { fail: failB } },
    { id: 'c', uses: 'emit', needs: ['a'], with: { value: 10 } },
    { id: 'after', uses: 'sum', needs: ['total'] },
  ],
});

describe('pipeline runs', () => {
  it('runs steps in DAG order, feeding parents’ outputs to children', async () => {
    setup();
    order.length = 0;
    const run = await sys.pipelines.start(U, P, diamond());
    const done = await finished(run.id);
    expect(done.status).toBe('succeeded');
    expect(order[0]).toBe('a');
    expect(order.indexOf('total')).toBeGreaterThan(Math.max(order.indexOf('b'), order.indexOf('c')));
    expect(order.at(-1)).toBe('after');
    const total = await sys.queue.get(done.steps.find((s) => s.stepId === 'total')!.jobId!);
    expect(total!.input).toEqual({ b: { value: 1 }, c: { value: 10 } });
    expect(total!.result).toEqual({ value: 11 });
    expect(done.steps.every((s) => s.status === 'succeeded')).toBe(true);
    expect(events.some((e) => e.type === 'run' && e.run.status === 'succeeded')).toBe(true);
    expect(events.some((e) => e.type === 'job' && e.job.state === 'succeeded' && e.job.stepId === 'a')).toBe(true);
  });

  it('skips the descendants of a failed step and fails the run; retrying the step runs them', async () => {
    setup();
    const run = await sys.pipelines.start(U, P, diamond(true));
    const done = await finished(run.id);
    const status = Object.fromEntries(done.steps.map((s) => [s.stepId, s.status]));
    expect(status).toEqual({ total: 'skipped', a: 'succeeded', b: 'failed', c: 'succeeded', after: 'skipped' });
    expect(done.status).toBe('failed');
    const b = (await sys.queue.get(done.steps.find((s) => s.stepId === 'b')!.jobId!))!;
    expect(b).toMatchObject({ state: 'failed', errors: [{ message: 'asked to fail' }] });
    failing = false;
    await sys.pipelines.retryJob(b);
    const retried = await finished(run.id);
    expect(retried.status).toBe('succeeded');
    expect(retried.steps.every((s) => s.status === 'succeeded')).toBe(true);
    failing = true;
  });

  it('skips unchanged steps on a re-run (cached output) and runs a step whose parameter changed', async () => {
    setup();
    const first = await finished((await sys.pipelines.start(U, P, diamond())).id);
    order.length = 0;
    const again = await finished((await sys.pipelines.start(U, P, diamond())).id);
    expect(again.status).toBe('succeeded');
    expect(order).toEqual([]);
    for (const s of again.steps) {
      const job = (await sys.queue.get(s.jobId!))!;
      const was = first.steps.find((f) => f.stepId === s.stepId)!.jobId;
      expect(job.cachedFrom, s.stepId).toBe(was);
    }
    const changed = diamond();
    changed.stages[3] = { ...changed.stages[3], with: { value: 20 } };
    const third = await finished((await sys.pipelines.start(U, P, changed)).id);
    // c's parameter changed, so c runs; total's input changed, so total and after run; a and b are reused.
    expect(order.sort()).toEqual(['after', 'c', 'total']);
    const total = (await sys.queue.get(third.steps.find((s) => s.stepId === 'total')!.jobId!))!;
    expect(total.result).toEqual({ value: 21 });
  });

  it('cancels a whole run: the running job is aborted, waiting steps are cancelled', async () => {
    setup();
    const started = new Promise<void>((resolve) => {
      const off = bus.subscribe(P, (e) => e.type === 'job' && e.job.state === 'running' && (off(), resolve()));
    });
    const run = await sys.pipelines.start(U, P, {
      name: 'gated',
      stages: [{ id: 'wait', uses: 'gate' }, { id: 'next', uses: 'emit', needs: ['wait'], with: { value: 1 } }],
    });
    await started;
    const cancelled = await sys.pipelines.cancel(run.id);
    expect(cancelled.status).toBe('cancelled');
    const done = await new Promise<RunRecord>((resolve) => {
      const check = async () => {
        const r = (await sys.pipelines.get(run.id))!;
        if (r.steps[0].status === 'cancelled') (off(), resolve(r));
      };
      const off = bus.subscribe(P, () => void check());
      void check();
    });
    expect(Object.fromEntries(done.steps.map((s) => [s.stepId, s.status]))).toEqual({ wait: 'cancelled', next: 'cancelled' });
    expect((await sys.queue.get(done.steps[0].jobId!))!.state).toBe('cancelled');
  });

  it('rejects an invalid pipeline with the path of the problem and starts nothing', async () => {
    setup();
    await expect(
      sys.pipelines.start(U, P, { name: 'bad', stages: [{ id: 'a', uses: 'emit', with: { value: 'x' } }] }),
    ).rejects.toMatchObject({ code: 'validation', details: { problems: ['stages[0].with.value: expected number'] } });
    expect((await sys.queue.list({})).items).toEqual([]);
    expect((await sys.pipelines.list(P, { limit: 10 })).items).toEqual([]);
  });
});
