// Persistence of document update logs behind one small interface, with a SQLite implementation
// (table `doc_updates`, prepared statements on the raw better-sqlite3 handle) and an in-memory
// one; both pass the same contract tests (store.test.ts).
import * as Y from 'yjs';
import type { Db } from '../db/open.ts';

export interface CompactionResult {
  /** Rows before and after (1 after a compaction, unchanged when there was nothing to do). */
  rowsBefore: number;
  rowsAfter: number;
  bytesBefore: number;
  bytesAfter: number;
}

export interface UpdateStore {
  /** Every stored update of a document, oldest first. Synchronous: a document is loaded before its first frame is answered. */
  load(docName: string): Uint8Array[];
  /** Appends one update durably (returns after the write is committed). */
  append(docName: string, update: Uint8Array, userId: string | null): void;
  /** Load, re-encode and swap the whole log for one row, in one transaction. */
  compact(docName: string): CompactionResult;
  /** Rows in a document's log. */
  count(docName: string): number;
}

/** Applies a log to a document in one transaction (one by one: `mergeUpdates` is far slower). */
export function applyLog(doc: Y.Doc, updates: readonly Uint8Array[], origin: unknown = null): void {
  Y.transact(doc, () => {
    for (const u of updates) Y.applyUpdate(doc, u);
  }, origin);
}

function reencode(updates: readonly Uint8Array[]): Uint8Array {
  const doc = new Y.Doc();
  applyLog(doc, updates);
  const state = Y.encodeStateAsUpdate(doc);
  doc.destroy();
  return state;
}

const sum = (us: readonly Uint8Array[]) => us.reduce((n, u) => n + u.byteLength, 0);

export function sqliteStore(db: Db, now: () => number = Date.now): UpdateStore {
  const sql = db.$client;
  const selectAll = sql.prepare<[string], { id: number; update: Buffer }>('SELECT id, "update" FROM doc_updates WHERE doc_name = ? ORDER BY id');
  const insert = sql.prepare('INSERT INTO doc_updates (doc_name, "update", user_id, created_at, compacted) VALUES (?, ?, ?, ?, ?)');
  const countRows = sql.prepare<[string], { n: number }>('SELECT count(*) AS n FROM doc_updates WHERE doc_name = ?');
  const deleteUpTo = sql.prepare('DELETE FROM doc_updates WHERE doc_name = ? AND id <= ?');
  const toBytes = (b: Buffer) => new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
  const compact = sql.transaction((docName: string): CompactionResult => {
    const rows = selectAll.all(docName);
    const updates = rows.map((r) => toBytes(r.update));
    const bytesBefore = sum(updates);
    if (rows.length <= 1) return { rowsBefore: rows.length, rowsAfter: rows.length, bytesBefore, bytesAfter: bytesBefore };
    const state = reencode(updates);
    deleteUpTo.run(docName, rows[rows.length - 1].id);
    insert.run(docName, state, null, now(), 1);
    return { rowsBefore: rows.length, rowsAfter: 1, bytesBefore, bytesAfter: state.byteLength };
  });
  return {
    load: (docName) => selectAll.all(docName).map((r) => toBytes(r.update)),
    append: (docName, update, userId) => {
      insert.run(docName, update, userId, now(), 0);
    },
    compact: (docName) => compact.immediate(docName),
    count: (docName) => countRows.get(docName)?.n ?? 0,
  };
}

/** For tests and tools: the same contract, nothing on disk. */
export function memoryStore(): UpdateStore & { rows: Map<string, Array<{ update: Uint8Array; userId: string | null }>> } {
  const rows = new Map<string, Array<{ update: Uint8Array; userId: string | null }>>();
  const log = (d: string) => rows.get(d) ?? [];
  return {
    rows,
    load: (d) => log(d).map((r) => r.update),
    append: (d, update, userId) => {
      const list = rows.get(d) ?? [];
      list.push({ update: update.slice(), userId });
      rows.set(d, list);
    },
    compact: (d) => {
      const updates = log(d).map((r) => r.update);
      const bytesBefore = sum(updates);
      if (updates.length <= 1) return { rowsBefore: updates.length, rowsAfter: updates.length, bytesBefore, bytesAfter: bytesBefore };
      const state = reencode(updates);
      rows.set(d, [{ update: state, userId: null }]);
      return { rowsBefore: updates.length, rowsAfter: 1, bytesBefore, bytesAfter: state.byteLength };
    },
    count: (d) => log(d).length,
  };
}
