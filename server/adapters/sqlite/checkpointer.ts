// WAL checkpoints off the event loop. SQLite's automatic checkpoint (every 1,000 WAL pages) runs
// inside whichever commit crosses the mark, and its fsyncs take tens of milliseconds here, so a
// group commit (and every relay waiting on it) stalled for them now and then. With a checkpointer
// the server's connection turns the automatic one off and a worker thread with a connection of its
// own runs `PRAGMA wal_checkpoint(PASSIVE)` every `intervalMs`: passive never takes the writer's
// lock, so commits go on while it copies pages and syncs. Should the worker fail, the connection
// gets its automatic checkpoint back (the WAL never grows without bound).
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
  /** Resolves with the next checkpoint the worker finishes (rejects if it failed). */
  next(): Promise<CheckpointResult>;
  /** Stops the worker; the connection gets its automatic checkpoint back. */
  stop(): Promise<void>;
}

export interface CheckpointerOptions {
  intervalMs?: number;
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
export function startCheckpointer(db: Db, { intervalMs = 1000, log = () => {} }: CheckpointerOptions = {}): Checkpointer | null {
  const sql = db.$client;
  if (sql.memory) return null;
  const worker = new Worker(WORKER, {
    eval: true,
    workerData: { lib: createRequire(import.meta.url).resolve('better-sqlite3'), file: sql.name, intervalMs },
  });
  worker.unref();
  sql.pragma('wal_autocheckpoint = 0');
  let waiters: Array<{ resolve(r: CheckpointResult): void; reject(e: Error): void }> = [];
  let gone = false;
  const settle = (fn: (w: (typeof waiters)[number]) => void) => {
    const ws = waiters;
    waiters = [];
    ws.forEach(fn);
  };
  const giveBack = () => {
    if (gone) return;
    gone = true;
    if (sql.open) sql.pragma(`wal_autocheckpoint = ${AUTO_PAGES}`);
    settle((w) => w.reject(new Error('the checkpointer stopped')));
  };
  worker.on('message', (m: Reply) => {
    if (m.ok) return settle((w) => w.resolve(m.result));
    log('WAL checkpoint failed', { error: m.error });
    settle((w) => w.reject(new Error(m.error)));
  });
  worker.on('error', (e) => {
    log('WAL checkpointer failed; SQLite checkpoints automatically again', { error: String(e) });
    giveBack();
  });
  worker.on('exit', giveBack);
  return {
    next: () => (gone ? Promise.reject(new Error('the checkpointer stopped')) : new Promise((resolve, reject) => waiters.push({ resolve, reject }))),
    async stop() {
      if (gone) return;
      // Unref'd while it runs, so it never holds a process open; ref'd while it closes its connection,
      // or the process would end with this promise pending (exit code 13 under a top-level await).
      worker.ref();
      const exited = new Promise((r) => worker.once('exit', r));
      worker.postMessage('stop');
      const stuck = setTimeout(() => void worker.terminate(), 5000);
      await exited;
      clearTimeout(stuck);
    },
  };
}
