// The job queue on SQLite (the `jobs` and `job_logs` tables): claiming, lease expiry and settling
// each run in one BEGIN IMMEDIATE transaction, with prepared statements on better-sqlite3.
// Synchronous inside, each call through the connection's writer gate (so nothing lands inside
// another caller's open async transaction); the port is async so that PostgreSQL can implement it.
import type { Statement } from 'better-sqlite3';
import { serialOf, type Db } from './open.ts';
import { randomBytes } from 'node:crypto';
import type { JobError, JobState } from '../../../shared/jobs.ts';
import {
  backoffDelay,
  ENQUEUE_DEFAULTS,
  type ClaimedJob,
  type ClaimOptions,
  type Completion,
  type CompletionOf,
  type EnqueueSpec,
  type Failure,
  type Job,
  type JobFilter,
  type JobQueue,
  type LogLine,
} from '../../ports/job-queue.ts';

export interface SqliteJobQueueOptions {
  now?: () => number;
  random?: () => number;
}

interface Row {
  id: string;
  stage: string;
  project_id: string | null;
  run_id: string | null;
  step_id: string | null;
  params: string | null;
  input: string | null;
  state: JobState;
  priority: number;
  run_after: number;
  attempts: number;
  max_attempts: number;
  backoff_ms: number;
  backoff_max_ms: number;
  lease_token: string | null;
  lease_expires_at: number | null;
  worker_id: string | null;
  cancel_requested: number;
  progress: number;
  progress_message: string;
  result: string | null;
  errors: string;
  idempotency_key: string | null;
  stage_version: string | null;
  stage_source_sha: string | null;
  cache_key: string | null;
  cached_from: string | null;
  created_by: string | null;
  created_at: number;
  started_at: number | null;
  finished_at: number | null;
  updated_at: number;
}

/** The columns of Row, in the order every row-reading statement selects them. */
const COLUMNS = 'id, stage, project_id, run_id, step_id, params, input, state, priority, run_after, attempts, max_attempts, backoff_ms, backoff_max_ms, lease_token, lease_expires_at, worker_id, cancel_requested, progress, progress_message, result, errors, idempotency_key, stage_version, stage_source_sha, cache_key, cached_from, created_by, created_at, started_at, finished_at, updated_at';

/**
 * Row-reading statements run in better-sqlite3's raw mode (an array per row) and are turned into
 * Row by one object literal: building a 32-key object per row through the driver cost about two
 * thirds of a claim's time.
 */
function rows<A extends unknown[]>(stmt: Statement<A, unknown[]>) {
  stmt.raw(true);
  const rowOf = (a: any[]): Row => ({
    id: a[0],
    stage: a[1],
    project_id: a[2],
    run_id: a[3],
    step_id: a[4],
    params: a[5],
    input: a[6],
    state: a[7],
    priority: a[8],
    run_after: a[9],
    attempts: a[10],
    max_attempts: a[11],
    backoff_ms: a[12],
    backoff_max_ms: a[13],
    lease_token: a[14],
    lease_expires_at: a[15],
    worker_id: a[16],
    cancel_requested: a[17],
    progress: a[18],
    progress_message: a[19],
    result: a[20],
    errors: a[21],
    idempotency_key: a[22],
    stage_version: a[23],
    stage_source_sha: a[24],
    cache_key: a[25],
    cached_from: a[26],
    created_by: a[27],
    created_at: a[28],
    started_at: a[29],
    finished_at: a[30],
    updated_at: a[31],
  });
  return {
    get: (...args: A): Row | undefined => {
      const r = stmt.get(...args) as unknown[] | undefined;
      return r && rowOf(r);
    },
    all: (...args: A): Row[] => (stmt.all(...args) as unknown[][]).map(rowOf),
  };
}

/**
 * Hot-path statements bind positional parameters (CompleteArgs order): binding by name looked up
 * each key of an object per statement, about half of a short statement's cost here.
 */
const COMPLETE = `update jobs set state = 'succeeded', result = ?, progress = 1, lease_token = null, lease_expires_at = null,
    stage_version = coalesce(?, stage_version), stage_source_sha = coalesce(?, stage_source_sha),
    cache_key = coalesce(?, cache_key), cached_from = ?, finished_at = ?, updated_at = ?
  where id = ? and lease_token = ? and state = 'running'`;
/** result, stageVersion, stageSourceSha, cacheKey, cachedFrom, finishedAt, updatedAt, id, token. */
type CompleteArgs = [string | null, string | null, string | null, string | null, string | null, number, number, string, string];

const json = (v: unknown): string | null => (v === undefined ? null : JSON.stringify(v));
const parse = (s: string | null): unknown => (s == null ? null : JSON.parse(s));
/** Random lease tokens (96 bits), cut from a pool: one randomBytes call per 256 of them. */
let pool = Buffer.alloc(0);
let poolAt = 0;
const newToken = () => {
  if (poolAt >= pool.length) (pool = randomBytes(12 * 256)), (poolAt = 0);
  return pool.toString('base64url', poolAt, (poolAt += 12));
};
/**
 * Job ids: the time in ms (fixed-width base 36, so ids sort by creation) and 96 random bits. New
 * ids land at the right edge of the primary-key index instead of on a random page each: a batch
 * of inserts dirties a few pages, not one per job.
 */
const newJobId = (t: number) => `${Math.max(0, Math.floor(t)).toString(36).padStart(9, '0')}${newToken()}`;

function toJob(r: Row): Job {
  return {
    id: r.id,
    stage: r.stage,
    projectId: r.project_id,
    runId: r.run_id,
    stepId: r.step_id,
    params: parse(r.params),
    input: parse(r.input),
    state: r.state,
    priority: r.priority,
    runAfter: r.run_after,
    attempts: r.attempts,
    maxAttempts: r.max_attempts,
    backoffMs: r.backoff_ms,
    backoffMaxMs: r.backoff_max_ms,
    leaseExpiresAt: r.lease_expires_at,
    workerId: r.worker_id,
    cancelRequested: r.cancel_requested === 1,
    progress: { fraction: r.progress, message: r.progress_message },
    result: parse(r.result),
    errors: JSON.parse(r.errors) as JobError[],
    idempotencyKey: r.idempotency_key,
    stageVersion: r.stage_version,
    stageSourceSha: r.stage_source_sha,
    cacheKey: r.cache_key,
    cachedFrom: r.cached_from,
    createdBy: r.created_by,
    createdAt: r.created_at,
    startedAt: r.started_at,
    finishedAt: r.finished_at,
    updatedAt: r.updated_at,
  };
}

/**
 * The row `COMPLETE` leaves, as a Job, from the job as its worker claimed it (a running job's
 * other columns are written only by the lease holder, or fenced off by its token) and the two
 * columns read back: whether cancel was asked and the last progress message.
 */
function succeededFrom(c: ClaimedJob, done: Completion, result: string | null, cancelRequested: boolean, progressMessage: string, t: number): Job {
  return {
    id: c.id,
    stage: c.stage,
    projectId: c.projectId,
    runId: c.runId,
    stepId: c.stepId,
    params: c.params,
    input: c.input,
    state: 'succeeded',
    priority: c.priority,
    runAfter: c.runAfter,
    attempts: c.attempts,
    maxAttempts: c.maxAttempts,
    backoffMs: c.backoffMs,
    backoffMaxMs: c.backoffMaxMs,
    leaseExpiresAt: null,
    workerId: c.workerId,
    cancelRequested,
    progress: { fraction: 1, message: progressMessage },
    result: parse(result),
    errors: c.errors,
    idempotencyKey: c.idempotencyKey,
    stageVersion: done.stageVersion ?? c.stageVersion,
    stageSourceSha: done.stageSourceSha ?? c.stageSourceSha,
    cacheKey: done.cacheKey ?? c.cacheKey,
    cachedFrom: done.cachedFrom ?? null,
    createdBy: c.createdBy,
    createdAt: c.createdAt,
    startedAt: c.startedAt,
    finishedAt: t,
    updatedAt: t,
  };
}

export function sqliteJobQueue(conn: Db, opts: SqliteJobQueueOptions = {}): JobQueue {
  const db = conn.$client;
  const gate = serialOf(conn);
  const now = opts.now ?? Date.now;
  const random = opts.random ?? Math.random;

  const st = {
    insert: db.prepare(
      `insert into jobs (id, stage, project_id, run_id, step_id, params, input, state, priority, run_after, attempts,
         max_attempts, backoff_ms, backoff_max_ms, idempotency_key, created_by, created_at, updated_at)
       values (?, ?, ?, ?, ?, ?, ?, 'queued', ?, ?, 0, ?, ?, ?, ?, ?, ?, ?)
       on conflict (idempotency_key) where idempotency_key is not null do nothing`,
    ),
    byId: rows(db.prepare<[string], unknown[]>(`select ${COLUMNS} from jobs where id = ?`)),
    byKey: rows(db.prepare<[string], unknown[]>(`select ${COLUMNS} from jobs where idempotency_key = ?`)),
    expired: rows(
      db.prepare<[number], unknown[]>(`select ${COLUMNS} from jobs where state = 'running' and lease_expires_at < ? order by lease_expires_at limit 100`),
    ),
    runningByStage: db.prepare<[string], { stage: string; n: number }>(
      "select stage, count(*) as n from jobs where state = 'running' and stage in (select value from json_each(?)) group by stage",
    ),
    ready: rows(
      db.prepare<[{ now: number; only: string | null; full: string; limit: number }], unknown[]>(
        `select ${COLUMNS} from jobs where state = 'queued' and run_after <= @now
           and (@only is null or stage in (select value from json_each(@only)))
           and stage not in (select value from json_each(@full))
         order by priority desc, run_after, rowid limit @limit`,
      ),
    ),
    /** token, leaseUntil, workerId, now, now, id. */
    start: db.prepare<[string, number, string, number, number, string]>(
      `update jobs set state = 'running', attempts = attempts + 1, lease_token = ?, lease_expires_at = ?,
         worker_id = ?, started_at = coalesce(started_at, ?), updated_at = ? where id = ?`,
    ),
    heartbeat: db.prepare<[number, number, string, string], { cancel_requested: number }>(
      "update jobs set lease_expires_at = ?, updated_at = ? where id = ? and lease_token = ? and state = 'running' returning cancel_requested",
    ),
    progress: db.prepare(
      "update jobs set progress = ?, progress_message = ?, updated_at = ? where id = ? and lease_token = ? and state = 'running'",
    ),
    complete: db.prepare<CompleteArgs>(COMPLETE),
    completeReturning: rows(db.prepare<CompleteArgs, unknown[]>(`${COMPLETE} returning ${COLUMNS}`)),
    /** With the claimed job at hand: only what another writer may have changed while it ran. */
    completeNarrow: db
      .prepare<CompleteArgs, [number, string]>(`${COMPLETE} returning cancel_requested, progress_message`)
      .raw(true),
    held: rows(db.prepare<[string, string], unknown[]>(`select ${COLUMNS} from jobs where id = ? and lease_token = ? and state = 'running'`)),
    settle: db.prepare(
      `update jobs set state = @state, run_after = @runAfter, errors = @errors, lease_token = null, lease_expires_at = null,
         worker_id = case when @state = 'queued' then null else worker_id end,
         stage_version = coalesce(@stageVersion, stage_version), stage_source_sha = coalesce(@stageSourceSha, stage_source_sha),
         cache_key = coalesce(@cacheKey, cache_key), finished_at = @finishedAt, updated_at = @now where id = @id`,
    ),
    cancelWaiting: db.prepare(
      "update jobs set state = 'cancelled', cancel_requested = 1, finished_at = @now, updated_at = @now where id = @id and state = 'queued'",
    ),
    cancelRunning: db.prepare("update jobs set cancel_requested = 1, updated_at = ? where id = ? and state = 'running'"),
    retry: db.prepare(
      `update jobs set state = 'queued', attempts = 0, cancel_requested = 0, run_after = @now, finished_at = null, result = null,
         progress = 0, progress_message = '', updated_at = @now where id = @id and state in ('failed', 'dead', 'cancelled')`,
    ),
    findSucceeded: rows(
      db.prepare<[string], unknown[]>(`select ${COLUMNS} from jobs where cache_key = ? and state = 'succeeded' order by finished_at desc limit 1`),
    ),
    isHeld: db.prepare<[string, string], { id: string }>("select id from jobs where id = ? and lease_token = ? and state = 'running'"),
    appendLog: db.prepare('insert into job_logs (job_id, at, stream, line) values (?, ?, ?, ?)'),
    log: db.prepare<[string, number, number], { id: number; at: number; stream: LogLine['stream']; line: string }>(
      'select id, at, stream, line from job_logs where job_id = ? and id > ? order by id limit ?',
    ),
  };

  /** Records a failed attempt on `row` (inside a transaction) and returns the new state. */
  function settleFailure(row: Row, failure: Failure, t: number): JobState {
    const errors = JSON.parse(row.errors) as JobError[];
    const error: JobError = { attempt: row.attempts, at: t, message: failure.message };
    if (failure.code) error.code = failure.code;
    if (failure.stack) error.stack = failure.stack;
    let state: JobState;
    let runAfter = row.run_after;
    if (row.cancel_requested) state = 'cancelled';
    else if (!failure.retryable) state = 'failed';
    else if (row.attempts >= row.max_attempts) state = 'dead';
    else {
      state = 'queued';
      runAfter = t + backoffDelay(row.attempts, row.backoff_ms, row.backoff_max_ms, random);
      error.retryAt = runAfter;
    }
    errors.push(error);
    st.settle.run({
      id: row.id,
      state,
      runAfter,
      errors: JSON.stringify(errors),
      stageVersion: failure.stageVersion ?? null,
      stageSourceSha: failure.stageSourceSha ?? null,
      cacheKey: failure.cacheKey ?? null,
      finishedAt: state === 'queued' ? null : t,
      now: t,
    });
    return state;
  }

  /** Inserts one job (inside a transaction), or answers the one already holding its key. */
  function enqueueOne(spec: EnqueueSpec, t: number): { job: Job; created: boolean } {
    const id = newJobId(t);
    const info = st.insert.run(
      id,
      spec.stage,
      spec.projectId ?? null,
      spec.runId ?? null,
      spec.stepId ?? null,
      json(spec.params),
      json(spec.input),
      spec.priority ?? ENQUEUE_DEFAULTS.priority,
      spec.runAfter ?? t,
      spec.maxAttempts ?? ENQUEUE_DEFAULTS.maxAttempts,
      spec.backoffMs ?? ENQUEUE_DEFAULTS.backoffMs,
      spec.backoffMaxMs ?? ENQUEUE_DEFAULTS.backoffMaxMs,
      spec.idempotencyKey ?? null,
      spec.createdBy ?? null,
      t,
      t,
    );
    if (info.changes === 1) {
      const job: Job = {
        id, stage: spec.stage, projectId: spec.projectId ?? null, runId: spec.runId ?? null, stepId: spec.stepId ?? null,
        params: spec.params === undefined ? null : JSON.parse(JSON.stringify(spec.params)),
        input: spec.input === undefined ? null : JSON.parse(JSON.stringify(spec.input)),
        state: 'queued', priority: spec.priority ?? ENQUEUE_DEFAULTS.priority, runAfter: spec.runAfter ?? t, attempts: 0,
        maxAttempts: spec.maxAttempts ?? ENQUEUE_DEFAULTS.maxAttempts, backoffMs: spec.backoffMs ?? ENQUEUE_DEFAULTS.backoffMs,
        backoffMaxMs: spec.backoffMaxMs ?? ENQUEUE_DEFAULTS.backoffMaxMs, leaseExpiresAt: null, workerId: null, cancelRequested: false,
        progress: { fraction: 0, message: '' }, result: null, errors: [], idempotencyKey: spec.idempotencyKey ?? null,
        stageVersion: null, stageSourceSha: null, cacheKey: null, cachedFrom: null, createdBy: spec.createdBy ?? null,
        createdAt: t, startedAt: null, finishedAt: null, updatedAt: t,
      };
      return { job, created: true };
    }
    return { job: toJob(st.byKey.get(spec.idempotencyKey!)!), created: false };
  }
  const enqueueTx = db.transaction((spec: EnqueueSpec) => enqueueOne(spec, now()));
  const enqueueManyTx = db.transaction((specs: readonly EnqueueSpec[]) => {
    const t = now();
    return specs.map((spec) => enqueueOne(spec, t));
  });

  const completionArgs = (id: string, token: string, c: Completion, t: number): CompleteArgs => [
    json(c.result ?? null),
    c.stageVersion ?? null,
    c.stageSourceSha ?? null,
    c.cacheKey ?? null,
    c.cachedFrom ?? null,
    t,
    t,
    id,
    token,
  ];
  /** Settles held jobs as succeeded (inside a transaction). */
  const completeIn = (items: readonly CompletionOf[]): Array<Job | null> => {
    const t = now();
    return items.map((i) => {
      const args = completionArgs(i.id, i.leaseToken, i.completion, t);
      const c = i.claimed;
      if (!c || c.id !== i.id || c.leaseToken !== i.leaseToken) {
        const row = st.completeReturning.get(...args);
        return row ? toJob(row) : null;
      }
      const r = st.completeNarrow.get(...args);
      return r ? succeededFrom(c, i.completion, args[0], r[0] === 1, r[1], t) : null;
    });
  };
  const completeManyTx = db.transaction(completeIn);

  /** Claims ready jobs (inside a transaction). */
  const claimIn = (o: ClaimOptions): ClaimedJob[] => {
    const t = now();
    for (const row of st.expired.all(t)) {
      settleFailure(row, { message: `lease of worker ${row.worker_id ?? '?'} expired`, code: 'lease_expired', retryable: true }, t);
    }
    if (o.limit <= 0) return [];
    const limits = o.concurrency ?? {};
    const limited = Object.keys(limits);
    const room = new Map<string, number>();
    if (limited.length) {
      const running = new Map(st.runningByStage.all(JSON.stringify(limited)).map((r) => [r.stage, r.n]));
      for (const s of limited) room.set(s, Math.max(0, limits[s] - (running.get(s) ?? 0)));
    }
    const only = o.stages ? JSON.stringify(o.stages) : null;
    const claimed: ClaimedJob[] = [];
    const leaseUntil = t + o.leaseMs;
    for (;;) {
      const full = [...room].filter(([, n]) => n <= 0).map(([s]) => s);
      const want = o.limit - claimed.length;
      const rows = st.ready.all({ now: t, only, full: JSON.stringify(full), limit: want });
      let saturated = false;
      for (const row of rows) {
        const left = room.get(row.stage);
        if (left !== undefined) {
          if (left <= 0) {
            saturated = true;
            continue;
          }
          room.set(row.stage, left - 1);
        }
        const token = newToken();
        st.start.run(token, leaseUntil, o.workerId, t, t, row.id);
        const job = toJob(row) as ClaimedJob;
        job.state = 'running';
        job.attempts = row.attempts + 1;
        job.leaseExpiresAt = leaseUntil;
        job.workerId = o.workerId;
        job.startedAt = row.started_at ?? t;
        job.updatedAt = t;
        job.leaseToken = token;
        claimed.push(job);
      }
      // Another pass only when a stage filled up mid-page and hid jobs of other stages behind it.
      if (!saturated || rows.length < want || claimed.length >= o.limit) break;
    }
    return claimed;
  };
  const claimTx = db.transaction(claimIn);
  const completeAndClaimTx = db.transaction((items: readonly CompletionOf[], o: ClaimOptions) => {
    const settled = completeIn(items);
    return { settled, claimed: claimIn(o) };
  });

  const failTx = db.transaction((id: string, token: string, failure: Failure): JobState | null => {
    const row = st.held.get(id, token);
    return row ? settleFailure(row, failure, now()) : null;
  });

  const cancelTx = db.transaction((id: string): Job | null => {
    const t = now();
    if (st.cancelWaiting.run({ now: t, id }).changes === 0) st.cancelRunning.run(t, id);
    const row = st.byId.get(id);
    return row ? toJob(row) : null;
  });

  const appendLogTx = db.transaction((id: string, token: string, lines: readonly LogLine[]): boolean => {
    if (!st.isHeld.get(id, token)) return false;
    for (const l of lines) st.appendLog.run(id, l.at, l.stream, l.line);
    return true;
  });

  return {
    async enqueue(spec) {
      return gate.op(() => enqueueTx.immediate(spec));
    },
    async enqueueMany(specs) {
      return specs.length ? gate.op(() => enqueueManyTx.immediate(specs)) : [];
    },
    async claim(o) {
      return gate.op(() => claimTx.immediate(o));
    },
    async heartbeat(id, token, leaseMs) {
      return gate.op(() => {
        const t = now();
        const row = st.heartbeat.get(t + leaseMs, t, id, token);
        return row ? { held: true, cancelRequested: row.cancel_requested === 1 } : { held: false, cancelRequested: false };
      });
    },
    async progress(id, token, p) {
      return gate.op(() => st.progress.run(Math.min(1, Math.max(0, p.fraction)), p.message, now(), id, token).changes === 1);
    },
    async complete(id, token, c: Completion) {
      return gate.op(() => st.complete.run(...completionArgs(id, token, c, now())).changes === 1);
    },
    async completeAndClaim(items, o) {
      return gate.op(() => completeAndClaimTx.immediate(items, o));
    },
    async completeMany(items) {
      return items.length ? gate.op(() => completeManyTx.immediate(items)) : [];
    },
    async fail(id, token, failure) {
      return gate.op(() => failTx.immediate(id, token, failure));
    },
    async cancel(id) {
      return gate.op(() => cancelTx.immediate(id));
    },
    async retry(id) {
      return gate.op(() => {
        st.retry.run({ now: now(), id });
        const row = st.byId.get(id);
        return row ? toJob(row) : null;
      });
    },
    async get(id) {
      return gate.op(() => {
        const row = st.byId.get(id);
        return row ? toJob(row) : null;
      });
    },
    list: (f: JobFilter) => gate.op(() => list(f)),
    async findSucceeded(key) {
      return gate.op(() => {
        const row = st.findSucceeded.get(key);
        return row ? toJob(row) : null;
      });
    },
    async appendLog(id, token, lines) {
      return gate.op(() => appendLogTx.immediate(id, token, lines));
    },
    async log(id, o = {}) {
      return gate.op(() => st.log.all(id, o.afterId ?? 0, Math.min(o.limit ?? 1000, 10_000)));
    },
  };

  function list(f: JobFilter) {
    const limit = Math.min(Math.max(f.limit ?? 50, 1), 500);
    const where: string[] = [];
    const args: unknown[] = [];
    if (f.projectId) (where.push('project_id = ?'), args.push(f.projectId));
    if (f.runId) (where.push('run_id = ?'), args.push(f.runId));
    if (f.state) (where.push('state = ?'), args.push(f.state));
    if (f.stage) (where.push('stage = ?'), args.push(f.stage));
    if (f.cursor) (where.push('rowid < ?'), args.push(Number(f.cursor)));
    const rows = db
      .prepare<unknown[], Row & { rid: number }>(
        `select rowid as rid, * from jobs ${where.length ? `where ${where.join(' and ')}` : ''} order by rowid desc limit ?`,
      )
      .all(...args, limit + 1);
    const page = rows.slice(0, limit);
    return { items: page.map(toJob), next: rows.length > limit ? String(page[page.length - 1].rid) : null };
  }
}
