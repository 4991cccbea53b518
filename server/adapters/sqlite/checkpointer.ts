// WAL checkpoints off the event loop. SQLite's automatic checkpoint (every 1,000 WAL pages) runs
// inside whichever commit crosses the mark, and its fsyncs take tens of milliseconds here, so a
// group commit (and every relay waiting on it) stalled for them now and then. With a checkpointer
// the server's connection turns the automatic one off and a worker thread with a connection of its
// own runs `PRAGMA wal_checkpoint(PASSIVE)` every `intervalMs`: passive never takes the writer's
// lock, so commits go on while it copies pages and syncs. Should the worker fail, the connection
// gets its automatic checkpoint back (the WAL never grows without bound).
//
// The worker sleeps when there is nothing to do: once `idleMs` of its checkpoints found every WAL
// frame copied and no new one, it stops (a thread with its own V8 heap is ~6 MB of an idle
// server's RSS), and the main thread then only looks at the WAL file's modification time every
// `intervalMs`; the first commit after that wakes a new worker. The automatic checkpoint stays off
// while it sleeps (at most one interval of commits wait for the worker).
import { statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type { Db } from './open.ts';

/** What one checkpoint reported: WAL frames in the log, frames copied back, whether it was blocked. */
export interface CheckpointResult {
  busy: number;
  log: number;
  checkpointed: number;
}

export interface Checkpointer {
  /** Resolves with the next checkpoint the worker finishes (rejects if it failed); a sleeping worker wakes at the next commit. */
  next(): Promise<CheckpointResult>;
  /** Whether a worker thread is running now (false while it sleeps). */
  awake(): boolean;
  /** Stops the worker; the connection gets its automatic checkpoint back. */
  stop(): Promise<void>;
}

export interface CheckpointerOptions {
  intervalMs?: number;
  /** How long the checkpoints must find nothing new before the worker sleeps. */
  idleMs?: number;
  /** Told each time the worker wakes (true) or falls asleep (false). */
  onState?: (awake: boolean) => void;
  log?: (message: string, details?: Record<string, unknown>) => void;
}

/** SQLite's own default (`wal_autocheckpoint`), restored when the worker stops or fails. */
const AUTO_PAGES = 1000;

// CommonJS, evaluated in the worker (no TypeScript loader there): one connection, one passive checkpoint per tick.
const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.lib);
const db = new Database(workerData.file, { fileMustExist: true });
const tick = () => {
  try {
    const [r] = db.pragma('wal_checkpoint(PASSIVE)');
    parentPort.postMessage({ ok: true, result: r });
  } catch (e) {
    parentPort.postMessage({ ok: false, error: String(e) });
  }
};
const timer = setInterval(tick, workerData.intervalMs);
parentPort.on('message', () => {
  clearInterval(timer);
  db.close();
  parentPort.close();
});
`;

type Reply = { ok: true; result: CheckpointResult } | { ok: false; error: string };

/** Starts checkpointing `db`'s file from a worker thread; null for an in-memory database (no WAL). */
export function startCheckpointer(db: Db, { intervalMs = 1000, idleMs = 10_000, log = () => {}, onState = () => {} }: CheckpointerOptions = {}): Checkpointer | null {
  const sql = db.$client;
  if (sql.memory) return null;
  const walFile = `${sql.name}-wal`;
  const walTime = () => statSync(walFile, { throwIfNoEntry: false })?.mtimeMs ?? null;
  sql.pragma('wal_autocheckpoint = 0');
  let waiters: Array<{ resolve(r: CheckpointResult): void; reject(e: Error): void }> = [];
  let gone = false;
  let worker: Worker | null = null;
  let watch: NodeJS.Timeout | null = null;
  let stopping = false;
  const settle = (fn: (w: (typeof waiters)[number]) => void) => {
    const ws = waiters;
    waiters = [];
    ws.forEach(fn);
  };
  const giveBack = () => {
    if (gone) return;
    gone = true;
    if (watch) clearInterval(watch);
    if (sql.open) sql.pragma(`wal_autocheckpoint = ${AUTO_PAGES}`);
    settle((w) => w.reject(new Error('the checkpointer stopped')));
  };

  const wake = () => {
    if (watch) (clearInterval(watch), (watch = null));
    const w = new Worker(WORKER, {
      eval: true,
      workerData: { lib: createRequire(import.meta.url).resolve('better-sqlite3'), file: sql.name, intervalMs },
    });
    w.unref();
    worker = w;
    onState(true);
    let lastLog = -1;
    let quietSince = performance.now();
    let sleeping = false;
    let since: number | null = null;
    w.on('message', (m: Reply) => {
      if (!m.ok) {
        log('WAL checkpoint failed', { error: m.error });
        return settle((x) => x.reject(new Error(m.error)));
      }
      settle((x) => x.resolve(m.result));
      const { log: frames, checkpointed } = m.result;
      if (frames !== lastLog || checkpointed < frames) (lastLog = frames), (quietSince = performance.now());
      else if (!sleeping && !stopping && performance.now() - quietSince >= idleMs) {
        // Everything is copied back and nothing was written for idleMs: sleep until the WAL changes.
        sleeping = true;
        since = walTime();
        w.postMessage('stop');
      }
    });
    w.on('error', (e) => {
      log('WAL checkpointer failed; SQLite checkpoints automatically again', { error: String(e) });
      giveBack();
    });
    w.on('exit', () => {
      if (worker === w) worker = null;
      if (!sleeping || stopping) return giveBack();
      onState(false);
      watch = setInterval(() => {
        if (walTime() !== since) wake();
      }, intervalMs);
      watch.unref();
    });
  };
  wake();

  return {
    next: () => (gone ? Promise.reject(new Error('the checkpointer stopped')) : new Promise((resolve, reject) => waiters.push({ resolve, reject }))),
    awake: () => worker !== null,
    async stop() {
      if (gone) return;
      const w = worker;
      if (!w) return giveBack();
      // Unref'd while it runs, so it never holds a process open; ref'd while it closes its connection,
      // or the process would end with this promise pending (exit code 13 under a top-level await).
      stopping = true;
      w.ref();
      const exited = new Promise((r) => w.once('exit', r));
      w.postMessage('stop');
      const stuck = setTimeout(() => void w.terminate(), 5000);
      await exited; // its exit handler gives the automatic checkpoint back (stopping)
      clearTimeout(stuck);
    },
  };
}
