// `npm run bench:jobs`: no-op jobs per second through enqueue → claim → complete with one worker
// (Tessera's runner in this process), beside, in the same run, a raw better-sqlite3 loop doing the
// same writes on the same table (one insert transaction to enqueue; one BEGIN IMMEDIATE claim and
// one completing update per job), and beside a published SQLite queue for Node (plainjob) doing the
// same work; then enqueue-to-start latency on an idle queue. Each figure is the median of RUNS,
// the three kinds interleaved round by round. The producer enqueues in batches of BATCH (Tessera's
// enqueueMany, plainjob's addMany: each one write transaction); the raw loop stays one job per
// transaction, as the issue defines it. Statements and transactions per job are counted on
// Tessera's connection and printed beside the raw loop's. Beside each throughput, the CPU time
// this process spent per job in the same run (user + system): on a machine shared with other
// sessions it moves much less than the wall-clock figure.
import { fsStageFiles } from '../server/adapters/fs/stage-files.ts';
import Database from 'better-sqlite3';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { defineStage } from '../shared/stage.ts';
import { sqliteJobQueue } from '../server/adapters/sqlite/job-queue.ts';
import { openDb } from '../server/adapters/sqlite/open.ts';
import { stageRegistry } from '../server/jobs/registry.ts';
import { createRunner } from '../server/jobs/runner.ts';
import { noResources, settledCounter } from '../server/testing/jobs.ts';
import { tempDir } from '../server/testing/fixtures.ts';
import { fileURLToPath } from 'node:url';

const N = Number(process.env.JOBS ?? 20_000);
const RUNS = Number(process.env.RUNS ?? 3);
const BATCH = Number(process.env.BATCH ?? 64);
const CONCURRENCY = Number(process.env.CONCURRENCY ?? 64);
const LATENCY_SAMPLES = 300;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((xs.length * p) / 100))];

const noop = defineStage({ name: 'noop', version: 1, cache: false, output: z.null(), work: () => null });

/** Counts statements run and write transactions committed on a connection (prepared after this call). */
function countStatements(db: Database.Database) {
  const counts = { statements: 0, transactions: 0 };
  const prepare = db.prepare.bind(db);
  db.prepare = ((sql: string) => {
    const st = prepare(sql);
    for (const m of ['run', 'get', 'all'] as const) {
      const f = st[m].bind(st) as (...a: unknown[]) => unknown;
      (st as unknown as Record<string, unknown>)[m] = (...a: unknown[]) => {
        counts.statements++;
        if (!st.reader && !db.inTransaction) counts.transactions++; // an autocommitted write
        return f(...a);
      };
    }
    return st;
  }) as typeof db.prepare;
  const transaction = db.transaction.bind(db);
  db.transaction = ((fn: (...a: unknown[]) => unknown) => {
    const tx = transaction(fn);
    const wrap = (g: (...a: unknown[]) => unknown) => (...a: unknown[]) => (db.inTransaction || counts.transactions++, g(...a));
    return Object.assign(wrap(tx), { immediate: wrap(tx.immediate), deferred: wrap(tx.deferred), exclusive: wrap(tx.exclusive) });
  }) as typeof db.transaction;
  return counts;
}

async function tessera(dir: string, N: number, counted?: { statements: number; transactions: number }): Promise<number> {
  const db = openDb({ file: join(dir, 'tessera.db') });
  const counts = counted ? countStatements(db.$client) : null;
  const queue = sqliteJobQueue(db);
  const stages = stageRegistry(fsStageFiles());
  stages.add(noop, fileURLToPath(import.meta.url));
  const settled = settledCounter(N);
  const runner = createRunner({ queue, stages, resources: noResources, concurrency: CONCURRENCY, pollMs: 50, log: (m) => console.error(m), onJob: settled.onJob });
  const t0 = performance.now();
  runner.start();
  for (let i = 0; i < N; i += BATCH) {
    await queue.enqueueMany(Array.from({ length: Math.min(BATCH, N - i) }, () => ({ stage: 'noop' })));
    runner.wake();
  }
  await settled.all;
  const s = (performance.now() - t0) / 1000;
  await runner.stop();
  db.$client.close();
  if (counted && counts) Object.assign(counted, counts);
  return N / s;
}

function raw(dir: string): number {
  const db = openDb({ file: join(dir, 'tessera.db') }).$client;
  const insert = db.prepare(
    "insert into jobs (id, stage, state, run_after, max_attempts, backoff_ms, backoff_max_ms, created_at, updated_at) values (?, 'noop', 'queued', ?, 3, 1000, 60000, ?, ?)",
  );
  const pick = db.prepare<[number], { id: string }>("select id from jobs where state = 'queued' and run_after <= ? order by priority desc, run_after, rowid limit 1");
  const start = db.prepare("update jobs set state = 'running', attempts = attempts + 1, lease_token = ?, lease_expires_at = ?, updated_at = ? where id = ?");
  const complete = db.prepare("update jobs set state = 'succeeded', result = 'null', lease_token = null, finished_at = ?, updated_at = ? where id = ? and lease_token = ?");
  const enqueue = db.transaction((i: number, t: number) => insert.run(`r${i}`, t, t, t));
  const claim = db.transaction((t: number) => {
    const row = pick.get(t);
    if (row) start.run('tok', t + 30_000, t, row.id);
    return row;
  });
  const t0 = performance.now();
  for (let i = 0; i < N; i++) enqueue.immediate(i, Date.now());
  for (;;) {
    const row = claim.immediate(Date.now());
    if (!row) break;
    complete.run(Date.now(), Date.now(), row.id, 'tok');
  }
  const s = (performance.now() - t0) / 1000;
  db.close();
  return N / s;
}

async function peer(dir: string): Promise<number> {
  const { defineQueue, defineWorker, better } = await import('plainjob');
  const db = new Database(join(dir, 'plainjob.db'));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  const logger = { info() {}, warn() {}, error: console.error, debug() {} };
  const queue = defineQueue({ connection: better(db), logger });
  let done = 0;
  let finish!: () => void;
  const all = new Promise<void>((r) => (finish = r));
  const worker = defineWorker('noop', async () => void (++done === N && finish()), { queue, logger });
  const t0 = performance.now();
  void worker.start();
  for (let i = 0; i < N; i += BATCH) queue.addMany('noop', Array.from({ length: Math.min(BATCH, N - i) }, () => ({})));
  await all;
  const s = (performance.now() - t0) / 1000;
  await worker.stop();
  queue.close();
  db.close();
  return N / s;
}

async function startLatency(dir: string): Promise<number[]> {
  const db = openDb({ file: join(dir, 'tessera.db') });
  const queue = sqliteJobQueue(db);
  const stages = stageRegistry(fsStageFiles());
  let started: (() => void) | null = null;
  stages.add(defineStage({ name: 'mark', version: 1, cache: false, output: z.null(), work: () => (started?.(), null) }), fileURLToPath(import.meta.url));
  let settled: (() => void) | null = null;
  const runner = createRunner({ queue, stages, resources: noResources, pollMs: 500, log: console.error, onJob: (_j, c) => void (c === 'settled' && settled?.()) });
  runner.start();
  const out: number[] = [];
  for (let i = 0; i < LATENCY_SAMPLES; i++) {
    const begun = new Promise<void>((r) => (started = r));
    const finished = new Promise<void>((r) => (settled = r));
    const t0 = performance.now();
    await queue.enqueue({ stage: 'mark' });
    runner.wake(); // what an enqueue in the server process does (pipelines wake the runner)
    await begun;
    out.push(performance.now() - t0);
    await finished;
  }
  await runner.stop();
  db.$client.close();
  return out;
}

async function main() {
  const results = { jobs: [] as number[], raw: [] as number[], peer: [] as number[] };
  const cpuUs = { jobs: [] as number[], raw: [] as number[], peer: [] as number[] };
  let peerError: string | null = null;
  for (let r = 0; r < RUNS; r++) {
    for (const kind of ['jobs', 'raw', 'peer'] as const) {
      const t = tempDir('tessera-bench-jobs-');
      const cpu0 = process.cpuUsage();
      try {
        if (kind === 'jobs') results.jobs.push(await tessera(t.dir, N));
        else if (kind === 'raw') results.raw.push(raw(t.dir));
        else if (!peerError) results.peer.push(await peer(t.dir));
        const cpu = process.cpuUsage(cpu0);
        if (kind !== 'peer' || !peerError) cpuUs[kind].push((cpu.user + cpu.system) / N);
      } catch (e) {
        if (kind !== 'peer') throw e;
        peerError = (e as Error).message;
      } finally {
        t.cleanup();
      }
    }
  }
  const t = tempDir('tessera-bench-jobs-');
  const lat = await startLatency(t.dir);
  t.cleanup();
  const counted = { statements: 0, transactions: 0 };
  const c = tempDir('tessera-bench-jobs-');
  const COUNTED = Math.min(N, 4_000);
  await tessera(c.dir, COUNTED, counted);
  c.cleanup();
  const load = loadavg().map((l) => Number(l.toFixed(2)));
  const jobs = median(results.jobs);
  const rawPerS = median(results.raw);
  const peerPerS = results.peer.length ? median(results.peer) : null;
  const cpuOf = (k: keyof typeof cpuUs) => (cpuUs[k].length ? Number(median(cpuUs[k]).toFixed(1)) : null);
  const cpuNote = (k: keyof typeof cpuUs) => `, CPU ${cpuOf(k)} µs/job`;
  console.log(`${N} no-op jobs, enqueue → claim → complete, one worker (concurrency ${CONCURRENCY}), producer batches of ${BATCH}, median of ${RUNS} runs`);
  console.log(`  load average ${load.join(' ')} at the end (2 cores shared with other sessions)`);
  console.log(`  tessera runner        ${Math.round(jobs)} jobs/s   (runs: ${results.jobs.map(Math.round).join(', ')}${cpuNote('jobs')})`);
  console.log(`  raw better-sqlite3    ${Math.round(rawPerS)} jobs/s   (runs: ${results.raw.map(Math.round).join(', ')}${cpuNote('raw')})`);
  console.log(`  plainjob (peer)       ${peerPerS === null ? `failed: ${peerError}` : `${Math.round(peerPerS)} jobs/s   (runs: ${results.peer.map(Math.round).join(', ')}${cpuNote('peer')})`}`);
  console.log(`  ratio tessera/raw     ${(jobs / rawPerS).toFixed(2)}`);
  console.log(
    `  per job: tessera ${(counted.statements / COUNTED).toFixed(2)} statements in ${(counted.transactions / COUNTED).toFixed(3)} write transactions (counted over ${COUNTED} jobs); raw loop 4 statements in 3 (enqueue, claim, complete)`,
  );
  console.log(`enqueue-to-start on an idle queue (in-process enqueue wakes the runner), ${LATENCY_SAMPLES} jobs: p50 ${pct(lat, 50).toFixed(3)} ms, p99 ${pct(lat, 99).toFixed(3)} ms`);
  console.log(
    JSON.stringify({
      bench: 'jobs',
      jobs: N,
      jobs_per_s: Math.round(jobs),
      raw_per_s: Math.round(rawPerS),
      peer: 'plainjob',
      peer_per_s: peerPerS === null ? null : Math.round(peerPerS),
      ratio: Number((jobs / rawPerS).toFixed(3)),
      start_p50_ms: Number(pct(lat, 50).toFixed(3)),
      start_p99_ms: Number(pct(lat, 99).toFixed(3)),
      cpu_us_per_job: cpuOf('jobs'),
      raw_cpu_us_per_job: cpuOf('raw'),
      peer_cpu_us_per_job: cpuOf('peer'),
      statements_per_job: Number((counted.statements / COUNTED).toFixed(2)),
      transactions_per_job: Number((counted.transactions / COUNTED).toFixed(3)),
      load_avg: load,
    }),
  );
}

await main();
