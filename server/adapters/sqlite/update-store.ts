// The SQLite update store: table `doc_updates` through prepared statements on the raw
// better-sqlite3 handle. Group commits (`appendMany`) and compaction are one transaction each
// (compaction `BEGIN IMMEDIATE`: it reads, then swaps). Every statement runs through the
// connection's writer gate (`serialOf(db)`), so that nothing lands inside, and is rolled back with,
// a repository transaction that is open on the same connection. better-sqlite3 is synchronous; the
// port is async so that other databases fit, and a failure is a rejected promise, never a throw.
// When the process attached an update journal to the connection (update-journal.ts: `tessera
// serve` does), appends are durable once journaled and reach the table a few ms later; every read
// and compaction first moves what is pending into the table.
import { snapshotOfLog } from '../../../shared/doc/log.ts';
import { compactedProvenance, hasProvenance, type Provenance } from '../../../shared/doc/provenance.ts';
import { serialOf, type Db } from './open.ts';
import { INSERT_LOG_ROW, journalOf } from './update-journal.ts';
import type { CompactionResult, HeldState, StoredUpdate, UpdateStore } from '../../ports/update-store.ts';

const sum = (us: readonly Uint8Array[]) => us.reduce((n, u) => n + u.byteLength, 0);
const toBytes = (b: Buffer) => new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
/** A selected row as the provenance fold reads it (the carried provenance is JSON written by `compact`). */
const loggedRow = (r: { user: string | null; provenance: string | null }, update: Uint8Array) => ({
  update,
  userId: r.user,
  provenance: r.provenance == null ? null : (JSON.parse(r.provenance) as Provenance),
});

/** Groups of up to this many appends are journaled (update-journal.ts); larger ones are committed to the table directly. */
export const JOURNAL_MAX_GROUP = 64;

export function sqliteUpdateStore(db: Db, now: () => number = Date.now): UpdateStore {
  const sql = db.$client;
  // At once when no transaction holds the connection, else right after it; a throw becomes a rejection.
  const gate = serialOf(db);
  const async = <T>(fn: () => T): Promise<T> => gate.op(fn);
  const selectAll = sql.prepare<[string], { id: number; update: Buffer; user: string | null; provenance: string | null }>(
    'SELECT id, "update", user_id AS user, provenance FROM doc_updates WHERE doc_name = ? ORDER BY id',
  );
  const insert = sql.prepare(INSERT_LOG_ROW);
  const insertCompacted = sql.prepare(
    'INSERT INTO doc_updates (doc_name, "update", user_id, created_at, compacted, state_vector, schema_version, provenance) VALUES (?, ?, NULL, ?, 1, ?, ?, ?)',
  );
  const selectSnapshot = sql.prepare<[string, string], { update: Buffer; sv: Buffer | null; version: number | null; n: number }>(
    'SELECT "update", state_vector AS sv, schema_version AS version, (SELECT count(*) FROM doc_updates WHERE doc_name = ?) AS n FROM doc_updates WHERE doc_name = ? ORDER BY id LIMIT 1',
  );
  const countRows = sql.prepare<[string], { n: number }>('SELECT count(*) AS n FROM doc_updates WHERE doc_name = ?');
  const deleteUpTo = sql.prepare('DELETE FROM doc_updates WHERE doc_name = ? AND id <= ?');
  const insertMany = sql.transaction((updates: readonly StoredUpdate[]) => {
    const at = now();
    for (const u of updates) insert.run(u.docName, u.update, u.userId, at);
  });
  const compact = sql.transaction((docName: string, current?: HeldState): CompactionResult => {
    const rows = selectAll.all(docName);
    const updates = rows.map((r) => toBytes(r.update));
    const bytesBefore = sum(updates);
    if (rows.length <= 1) return { rowsBefore: rows.length, rowsAfter: rows.length, bytesBefore, bytesAfter: bytesBefore };
    const held = current && current.rows === rows.length ? current : undefined;
    const snap = held ?? snapshotOfLog(docName, updates);
    const provenance = hasProvenance(docName) ? JSON.stringify(compactedProvenance(rows.map((r, i) => loggedRow(r, updates[i])), held?.provenance)) : null;
    deleteUpTo.run(docName, rows[rows.length - 1].id);
    insertCompacted.run(docName, snap.state, now(), snap.stateVector, snap.schemaVersion, provenance);
    return { rowsBefore: rows.length, rowsAfter: 1, bytesBefore, bytesAfter: snap.state.byteLength };
  });
  const write = (updates: readonly StoredUpdate[]) => {
    if (!updates.length) return;
    const journal = journalOf(db);
    if (journal?.accepting() && updates.length <= JOURNAL_MAX_GROUP) return journal.append(updates, now());
    // A large group pays a transaction's fixed cost over many rows (and would be written twice
    // through the journal): it goes to the table at once, after what the journal holds.
    journal?.flushNow();
    insertMany(updates);
  };
  // A read sees every acknowledged append: what the journal holds goes into the table first.
  const read = <T>(fn: () => T): Promise<T> =>
    async(() => {
      journalOf(db)?.flushNow();
      return fn();
    });
  return {
    load: (docName) => read(() => selectAll.all(docName).map((r) => toBytes(r.update))),
    loadRows: (docName) => read(() => selectAll.all(docName).map((r) => loggedRow(r, toBytes(r.update)))),
    snapshot: (docName) =>
      read(() => {
        const row = selectSnapshot.get(docName, docName);
        if (!row || row.n !== 1 || !row.sv || row.version == null) return null;
        return { state: toBytes(row.update), stateVector: toBytes(row.sv), schemaVersion: row.version };
      }),
    append: (docName, update, userId) => async(() => write([{ docName, update, userId }])),
    appendMany: (updates) => async(() => write(updates)),
    compact: (docName, current) => read(() => compact.immediate(docName, current)),
    count: (docName) => read(() => countRows.get(docName)?.n ?? 0),
  };
}
