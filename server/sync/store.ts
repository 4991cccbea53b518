// Persistence of document update logs behind one small interface, with a SQLite implementation
// (table `doc_updates`, prepared statements on the raw better-sqlite3 handle) and an in-memory
// one; both pass the same contract tests (store.test.ts).
import * as Y from 'yjs';
import { MIGRATIONS, migratedVersion } from '../../shared/doc/migrations.ts';
import { parseDocName } from '../../shared/ids.ts';
import type { Db } from '../adapters/sqlite/open.ts';

export interface CompactionResult {
  /** Rows before and after (1 after a compaction, unchanged when there was nothing to do). */
  rowsBefore: number;
  rowsAfter: number;
  bytesBefore: number;
  bytesAfter: number;
}

/** A compacted document as stored: its whole state, with its state vector and schema version. */
export interface DocSnapshot {
  state: Uint8Array;
  stateVector: Uint8Array;
  schemaVersion: number;
}

export interface UpdateStore {
  /** Every stored update of a document, oldest first. Synchronous: a document is loaded before its first frame is answered. */
  load(docName: string): Uint8Array[];
  /** The document as one compacted row, when its log is exactly that; null otherwise. */
  snapshot(docName: string): DocSnapshot | null;
  /** Appends one update durably (returns after the write is committed). */
  append(docName: string, update: Uint8Array, userId: string | null): void;
  /**
   * Swaps the whole log for one row, in one transaction. With `current` (the state the caller holds
   * in memory, built from exactly `rows` rows of this log) that state is written as it is; otherwise,
   * or when the log has another number of rows by then, the log is loaded and re-encoded.
   */
  compact(docName: string, current?: DocSnapshot & { rows: number }): CompactionResult;
  /** Rows in a document's log. */
  count(docName: string): number;
}

/** Applies a log to a document in one transaction (one by one: `mergeUpdates` is far slower). */
export function applyLog(doc: Y.Doc, updates: readonly Uint8Array[], origin: unknown = null): void {
  Y.transact(doc, () => {
    for (const u of updates) Y.applyUpdate(doc, u);
  }, origin);
}

/** The schema version of a document: the known prefix of its kind's migrations recorded in it (not `meta.version`). */
function versionOf(doc: Y.Doc, docName: string): number {
  const kind = parseDocName(docName)?.kind;
  return kind ? migratedVersion(doc, MIGRATIONS[kind]) : 0;
}

function reencode(docName: string, updates: readonly Uint8Array[]): DocSnapshot {
  const doc = new Y.Doc();
  applyLog(doc, updates);
  const snap = { state: Y.encodeStateAsUpdate(doc), stateVector: Y.encodeStateVector(doc), schemaVersion: versionOf(doc, docName) };
  doc.destroy();
  return snap;
}

const sum = (us: readonly Uint8Array[]) => us.reduce((n, u) => n + u.byteLength, 0);

export function sqliteStore(db: Db, now: () => number = Date.now): UpdateStore {
  const sql = db.$client;
  const selectAll = sql.prepare<[string], { id: number; update: Buffer }>('SELECT id, "update" FROM doc_updates WHERE doc_name = ? ORDER BY id');
  const insert = sql.prepare('INSERT INTO doc_updates (doc_name, "update", user_id, created_at, compacted) VALUES (?, ?, ?, ?, 0)');
  const insertCompacted = sql.prepare(
    'INSERT INTO doc_updates (doc_name, "update", user_id, created_at, compacted, state_vector, schema_version) VALUES (?, ?, NULL, ?, 1, ?, ?)',
  );
  const selectSnapshot = sql.prepare<[string, string], { update: Buffer; sv: Buffer | null; version: number | null; n: number }>(
    'SELECT "update", state_vector AS sv, schema_version AS version, (SELECT count(*) FROM doc_updates WHERE doc_name = ?) AS n FROM doc_updates WHERE doc_name = ? ORDER BY id LIMIT 1',
  );
  const countRows = sql.prepare<[string], { n: number }>('SELECT count(*) AS n FROM doc_updates WHERE doc_name = ?');
  const deleteUpTo = sql.prepare('DELETE FROM doc_updates WHERE doc_name = ? AND id <= ?');
  const toBytes = (b: Buffer) => new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
  const compact = sql.transaction((docName: string, current?: DocSnapshot & { rows: number }): CompactionResult => {
    const rows = selectAll.all(docName);
    const updates = rows.map((r) => toBytes(r.update));
    const bytesBefore = sum(updates);
    if (rows.length <= 1) return { rowsBefore: rows.length, rowsAfter: rows.length, bytesBefore, bytesAfter: bytesBefore };
    const snap = current && current.rows === rows.length ? current : reencode(docName, updates);
    deleteUpTo.run(docName, rows[rows.length - 1].id);
    insertCompacted.run(docName, snap.state, now(), snap.stateVector, snap.schemaVersion);
    return { rowsBefore: rows.length, rowsAfter: 1, bytesBefore, bytesAfter: snap.state.byteLength };
  });
  return {
    load: (docName) => selectAll.all(docName).map((r) => toBytes(r.update)),
    snapshot(docName) {
      const row = selectSnapshot.get(docName, docName);
      if (!row || row.n !== 1 || !row.sv || row.version == null) return null;
      return { state: toBytes(row.update), stateVector: toBytes(row.sv), schemaVersion: row.version };
    },
    append: (docName, update, userId) => {
      insert.run(docName, update, userId, now());
    },
    compact: (docName, current) => compact.immediate(docName, current),
    count: (docName) => countRows.get(docName)?.n ?? 0,
  };
}

/** For tests and tools: the same contract, nothing on disk. */
type MemoryRow = { update: Uint8Array; userId: string | null; snapshot?: DocSnapshot };

export function memoryStore(): UpdateStore & { rows: Map<string, MemoryRow[]> } {
  const rows = new Map<string, MemoryRow[]>();
  const log = (d: string) => rows.get(d) ?? [];
  return {
    rows,
    load: (d) => log(d).map((r) => r.update),
    snapshot: (d) => {
      const l = log(d);
      return l.length === 1 ? (l[0].snapshot ?? null) : null;
    },
    append: (d, update, userId) => {
      const list: MemoryRow[] = rows.get(d) ?? [];
      list.push({ update: update.slice(), userId });
      rows.set(d, list);
    },
    compact: (d, current) => {
      const updates = log(d).map((r) => r.update);
      const bytesBefore = sum(updates);
      if (updates.length <= 1) return { rowsBefore: updates.length, rowsAfter: updates.length, bytesBefore, bytesAfter: bytesBefore };
      const snap = current && current.rows === updates.length ? current : reencode(d, updates);
      rows.set(d, [{ update: snap.state, userId: null, snapshot: snap }]);
      return { rowsBefore: updates.length, rowsAfter: 1, bytesBefore, bytesAfter: snap.state.byteLength };
    },
    count: (d) => log(d).length,
  };
}
