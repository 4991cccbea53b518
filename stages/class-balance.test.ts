// The example stage's own test: small inputs through the real runner (README "Writing a stage").
import { afterEach, expect, it } from 'vitest';
import { jobHarness, type JobHarness } from '../server/testing/jobs.ts';
import classBalance from './class-balance.ts';

let h: JobHarness;
afterEach(() => h.close());

it('flags classes above maxShare and below minShare', async () => {
  h = jobHarness([classBalance], new URL('./class-balance.ts', import.meta.url).href);
  const input = { classes: [{ name: 'car', shapes: 80 }, { name: 'bike', shapes: 19 }, { name: 'bus', shapes: 1 }] };
  const { job } = await h.queue.enqueue({ stage: 'class-balance', params: { maxShare: 0.6 }, input });
  h.runner.wake();
  const done = await h.settled(job.id);
  expect(done.state).toBe('succeeded');
  expect(done.result).toEqual({ total: 100, shares: { car: 0.8, bike: 0.19, bus: 0.01 }, over: ['car'], under: ['bus'] });
});
