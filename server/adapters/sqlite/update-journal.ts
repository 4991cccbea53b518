// The update journal: what makes a group commit durable before it is relayed at the cost of one
// write(2) (~1 µs here) instead of one SQLite transaction (~30 µs). Each group is one record
// appended to a file beside the database (journal-record.ts) and held in memory until it is moved
// into `doc_updates` a few milliseconds later, many groups to one transaction, together with the
// group's sequence number (table `update_journal`); the file is then emptied. Opening replays the
// records whose groups had not reached the table (a crash), so nothing acknowledged is lost and
// nothing is inserted twice.
//
// Durability is that of SQLite's WAL with synchronous=NORMAL, where a commit is also a write(2)
// without fsync: a group survives the process crashing, not the machine losing power; with `fsync`
// (what synchronous=FULL does for SQLite) each record is also fdatasync'ed before it counts.
//
// One journal per connection, attached by the composition root of the process that owns the log
// (`tessera serve`); every `sqliteUpdateStore` on that connection appends through it and moves
// what is pending into the table before it reads, so no reader of this process sees less than was
// acknowledged. Other processes on the same file (`tessera worker`, `tessera gc`) read the table,
// which trails the journal by at most `flushMs`, and never replay it.
import { closeSync, existsSync, fdatasyncSync, ftruncateSync, openSync, readFileSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { resolve } from 'node:path';
import type Database from 'better-sqlite3';
import type { StoredUpdate } from '../../ports/update-store.ts';
import { decodeJournal, encodeGroup, type JournalGroup } from './journal-record.ts';
import { serialOf, type Db } from './open.ts';

export interface UpdateJournalOptions {
  /** Longest time (ms) an acknowledged group waits in the journal before it is moved into the table. */
  flushMs?: number;
  /** fdatasync each record (as synchronous=FULL). */
  fsync?: boolean;
  log?: (message: string, details?: unknown) => void;
  /**
   * Take `<path>.lock` (this process's pid) so that a second server on the same data directory
   * refuses to start instead of writing the same journal; a lock whose process is gone is taken
   * over. Default true.
   */
  lock?: boolean;
}

export interface UpdateJournal {
  readonly path: string;
  /** Groups written to the journal and not yet in the table. */
  pending(): number;
  /** Moves every pending group into the table now (synchronous; the caller holds the writer gate). */
  flushNow(): void;
  /** Moves what is pending into the table, empties the file and detaches from the connection. */
  close(): Promise<void>;
}

/** The journal's side of the update store (update-store.ts): appends, and the flush before a read. */
export interface JournalAppender extends UpdateJournal {
  /**
   * Writes one group as one record; once it returns, the group is durable. Throws, having written
   * nothing that a replay would take, on a bad update or a failed write; after a failed write the
   * journal stops taking groups (`accepting` false) and the store commits to the table directly.
   */
  append(updates: readonly StoredUpdate[], createdAt: number): void;
  accepting(): boolean;
}

const journals = new WeakMap<Database.Database, JournalAppender>();
/** Journal files this process has open (a second connection of the same process must not take one). */
const openPaths = new Set<string>();

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/** Creates `<path>.lock` holding this pid, or throws naming the process that holds it. */
function takeLock(path: string, log: NonNullable<UpdateJournalOptions['log']>): string {
  const lockPath = `${path}.lock`;
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      writeFileSync(lockPath, `${process.pid}\n`, { flag: 'wx' });
      return lockPath;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    let holder = NaN;
    try {
      holder = Number.parseInt(readFileSync(lockPath, 'utf8'), 10);
    } catch {
      continue; // removed meanwhile
    }
    if (holder > 0 && holder !== process.pid && alive(holder))
      throw new Error(`the update journal ${path} is in use by process ${holder} (another tessera serve on this data directory?); stop that one first, or remove ${lockPath} if it is not Tessera`);
    log('update journal: taking over a lock whose process is gone', { lockPath, pid: holder });
    rmSync(lockPath, { force: true });
  }
  throw new Error(`could not take ${lockPath}`);
}

/** One row of a document's log, as an append writes it (here and in update-store.ts). */
export const INSERT_LOG_ROW = 'INSERT INTO doc_updates (doc_name, "update", user_id, created_at, compacted) VALUES (?, ?, ?, ?, 0)';

/** The journal attached to this connection, if any. */
export const journalOf = (db: Db): JournalAppender | undefined => journals.get(db.$client);

/**
 * Attaches a journal at `path` to the connection: first replays what a crash left in it (the groups
 * after the table's mark, in one transaction), then journals every append made through this connection.
 */
export function openUpdateJournal(db: Db, path: string, opts: UpdateJournalOptions = {}): UpdateJournal {
  if (journals.has(db.$client)) throw new Error(`an update journal is already attached to this database (${journals.get(db.$client)!.path})`);
  const { flushMs = 5, fsync = false, log = () => {}, lock = true } = opts;
  const key = resolve(path);
  if (openPaths.has(key)) throw new Error(`the update journal ${path} is already open in this process (one connection owns a database's journal)`);
  const lockPath = lock ? takeLock(path, log) : null;
  try {
    return attach(db, path, key, lockPath, flushMs, fsync, log);
  } catch (e) {
    if (lockPath) rmSync(lockPath, { force: true });
    throw e;
  }
}

function attach(db: Db, path: string, key: string, lockPath: string | null, flushMs: number, fsync: boolean, log: NonNullable<UpdateJournalOptions['log']>): UpdateJournal {
  const sql = db.$client;
  const gate = serialOf(db);
  const insert = sql.prepare(INSERT_LOG_ROW);
  const readMark = sql.prepare<[], { seq: number }>('SELECT flushed_seq AS seq FROM update_journal WHERE id = 1');
  const writeMark = sql.prepare('INSERT INTO update_journal (id, flushed_seq) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET flushed_seq = excluded.flushed_seq');
  const moveIn = sql.transaction((groups: readonly JournalGroup[]) => {
    for (const g of groups) for (const u of g.updates) insert.run(u.docName, u.update, u.userId, g.createdAt);
    writeMark.run(groups[groups.length - 1].seq);
  });

  // Replay: the groups after the mark, then an empty file.
  let lastSeq = readMark.get()?.seq ?? 0;
  if (existsSync(path) && statSync(path).isFile()) {
    const found = decodeJournal(readFileSync(path));
    const flushed = lastSeq;
    const replay = found.groups.filter((g) => g.seq > flushed);
    if (replay.length) moveIn.immediate(replay);
    if (found.groups.length) lastSeq = Math.max(lastSeq, found.groups[found.groups.length - 1].seq);
    if (replay.length || found.tornBytes)
      log('update journal replayed', { path, groups: replay.length, updates: replay.reduce((n, g) => n + g.updates.length, 0), alreadyInTable: found.groups.length - replay.length, tornBytesDropped: found.tornBytes });
  }
  const fd = openSync(path, 'w'); // empty: everything in it is in the table now
  let position = 0;
  let pending: JournalGroup[] = [];
  let broken = false;
  let closed = false;
  let timer: NodeJS.Timeout | null = null;

  const flushNow = () => {
    if (pending.length) {
      moveIn(pending); // a throw leaves the groups pending and their timer set, to retry
      pending = [];
      // Everything written is in the table: the file can start over (a crash before this line
      // leaves records the mark already covers, which the replay skips).
      if (!broken) {
        ftruncateSync(fd, 0);
        position = 0;
      }
    }
    if (timer) clearTimeout(timer), (timer = null);
  };
  const scheduled = () => {
    timer = null;
    gate.op(flushNow).catch((e) => {
      log('update journal: moving groups into the table failed; retrying', e);
      if (!closed && !timer) timer = setTimeout(scheduled, Math.max(flushMs, 100));
    });
  };

  const journal: JournalAppender = {
    path,
    pending: () => pending.length,
    accepting: () => !broken && !closed,
    append(updates, createdAt) {
      if (broken || closed) throw new Error('the update journal is not taking groups');
      const copies: StoredUpdate[] = [];
      const record = encodeGroup(lastSeq + 1, createdAt, updates, copies);
      try {
        for (let off = 0; off < record.length; ) off += writeSync(fd, record, off, record.length - off, position + off);
        if (fsync) fdatasyncSync(fd);
      } catch (e) {
        // Cut off what was written of the record; and write no more records (a replay stops at a
        // torn one, so nothing after it would count): the store commits to the table from now on.
        try {
          ftruncateSync(fd, position);
        } catch {
          /* the replay drops the torn tail */
        }
        broken = true;
        log('update journal: a write failed; committing to the table directly from now on', e);
        throw e;
      }
      position += record.length;
      lastSeq += 1;
      pending.push({ seq: lastSeq, createdAt, updates: copies });
      if (!timer) timer = setTimeout(scheduled, flushMs);
    },
    flushNow,
    async close() {
      if (closed) return;
      await gate.op(flushNow);
      closed = true;
      if (timer) clearTimeout(timer), (timer = null);
      journals.delete(sql);
      openPaths.delete(key);
      closeSync(fd);
      if (lockPath) rmSync(lockPath, { force: true });
    },
  };
  journals.set(sql, journal);
  openPaths.add(key);
  return journal;
}
