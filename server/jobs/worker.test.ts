// Worker processes on one data directory: a worker killed with SIGKILL mid-job loses the job to
// another after its lease expires, the job completes exactly once and the dead worker's token is
// refused; two workers over a few thousand jobs never run one twice.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, expect, it } from 'vitest';
import { sqliteJobQueue } from '../adapters/sqlite/job-queue.ts';
import { openDb } from '../adapters/sqlite/open.ts';
import { tempDir } from '../testing/fixtures.ts';
import { every, until } from '../testing/wait.ts';

const ROOT = resolve(fileURLToPath(import.meta.url), '../../..');
const TEST_STAGES = join(ROOT, 'server/jobs/test-stages');
let children: ChildProcess[] = [];
let cleanups: Array<() => void> = [];
afterEach(async () => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  await Promise.all(children.map((c) => (c.exitCode === null && c.signalCode === null ? new Promise((r) => c.once('exit', r)) : null)));
  children = [];
  cleanups.forEach((f) => f());
  cleanups = [];
});

function setup() {
  const t = tempDir();
  cleanups.push(t.cleanup);
  const db = openDb({ file: join(t.dir, 'tessera.db') });
  cleanups.unshift(() => db.$client.close());
  return { dir: t.dir, db, queue: sqliteJobQueue(db) };
}

/** Starts `tessera worker` and resolves once it printed that it is ready. */
function worker(dataDir: string, ...args: string[]): Promise<ChildProcess> {
  const child = spawn(process.execPath, [join(ROOT, 'scripts/tessera.js'), 'worker', '--data', dataDir, '--stages', TEST_STAGES, '--poll-ms', '20', ...args], {
    cwd: dataDir,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let err = '';
  child.stderr!.on('data', (d) => (err += d));
  return new Promise((resolvePromise, reject) => {
    let out = '';
    child.stdout!.on('data', (d) => {
      out += d;
      if (out.includes(' ready: ')) resolvePromise(child);
    });
    child.once('exit', (code) => reject(new Error(`worker exited (${code}) before it was ready: ${err}`)));
  });
}

const lines = (file: string) => (existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter(Boolean) : []);
const exited = (c: ChildProcess) => new Promise((r) => (c.exitCode !== null || c.signalCode !== null ? r(null) : c.once('exit', r)));

it('a worker killed with SIGKILL mid-job: the job is claimed again after its lease expires, completes once, and the dead worker is fenced off', async () => {
  const { dir, db, queue } = setup();
  const file = join(dir, 'effects.txt');
  const { job } = await queue.enqueue({ stage: 'hang-once', params: { file }, maxAttempts: 3, backoffMs: 10, backoffMaxMs: 10 });
  const a = await worker(dir, '--lease-ms', '1000');
  await until(() => lines(file).length > 0, [every(20)], 20_000, 'the first worker to start the job');
  const held = db.$client.prepare('select lease_token as token, worker_id as worker from jobs where id = ?').get(job.id) as { token: string; worker: string };
  expect(lines(file)).toEqual([`started ${a.pid}`]);
  a.kill('SIGKILL');
  await exited(a);
  const b = await worker(dir, '--lease-ms', '1000');
  const state = () => (db.$client.prepare('select state from jobs where id = ?').pluck().get(job.id) as string);
  await until(() => state() === 'succeeded', [every(50)], 30_000, () => `the job to succeed (state ${state()})`);
  const done = (await queue.get(job.id))!;
  expect(done).toMatchObject({ state: 'succeeded', attempts: 2, result: { by: b.pid } });
  expect(done.workerId).not.toBe(held.worker);
  expect(done.errors).toMatchObject([{ attempt: 1, code: 'lease_expired' }]);
  expect(lines(file)).toEqual([`started ${a.pid}`, `done ${job.id}`]);
  // The killed worker's lease token no longer completes, fails or extends anything.
  expect(await queue.complete(job.id, held.token, { result: { by: -1 } })).toBe(false);
  expect(await queue.fail(job.id, held.token, { message: 'late', retryable: true })).toBeNull();
  expect(await queue.heartbeat(job.id, held.token, 1000)).toEqual({ held: false, cancelRequested: false });
  expect((await queue.get(job.id))!.result).toEqual({ by: b.pid });
});

it('two worker processes on one data directory never run one job twice (3,000 jobs)', async () => {
  const { dir, db, queue } = setup();
  const file = join(dir, 'effects.txt');
  const [a, b] = await Promise.all([worker(dir, '--concurrency', '8'), worker(dir, '--concurrency', '8')]);
  const N = 3_000;
  for (let i = 0; i < N; i++) await queue.enqueue({ stage: 'append', params: { file } });
  const succeeded = () => db.$client.prepare("select count(*) from jobs where state = 'succeeded'").pluck().get() as number;
  await until(() => succeeded() === N, [every(100)], 120_000, () => `all ${N} jobs to succeed (${succeeded()} so far)`);
  const ran = lines(file);
  expect(ran).toHaveLength(N);
  expect(new Set(ran).size).toBe(N);
  const byWorker = db.$client.prepare('select worker_id as w, count(*) as n from jobs group by worker_id').all() as { w: string; n: number }[];
  expect(byWorker).toHaveLength(2);
  expect(db.$client.prepare('select max(attempts) from jobs').pluck().get()).toBe(1);
  a.kill('SIGTERM');
  b.kill('SIGTERM');
  await Promise.all([exited(a), exited(b)]);
  expect([a.exitCode, b.exitCode]).toEqual([0, 0]);
});
