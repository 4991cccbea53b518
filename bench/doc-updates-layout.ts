// `npx tsx bench/doc-updates-layout.ts`: two layouts of `doc_updates` side by side, raw
// better-sqlite3, interleaved over BENCH_ROUNDS (default 5) rounds, medians: today's (a rowid table
// and an index on (doc_name, id), migration 0015) and WITHOUT ROWID keyed (doc_name, id), the id
// chosen per document as max(id) + 1 in the insert. Same pragmas as the server (WAL,
// synchronous=NORMAL, the automatic checkpoint off as while its checkpointer thread runs; the WAL
// is checkpointed between phases, outside the timings), the same update bytes (a shape added, then
// moved), 20 documents written interleaved. Lines: a one-row commit (a relay's group) with the WAL
// frames it writes; groups of 20 rows, one per document (load); groups of 1,000, 50 per document
// (a burst); reading a 10,000-row log; reading the compacted row of a 10,000-shape document (cold
// load). Measured in session 7, why the layout stayed: see docs/sync.md.
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as Y from 'yjs';
import { addShape, moveShape } from '../shared/doc/annotations.ts';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const DOCS = 20;
const PER = 500;
const USER = 'u_01HZX3K8V5QW2N7R4T6Y9B0C1D';
const COLUMNS = '"doc_name" text NOT NULL, "update" blob NOT NULL, "user_id" text, "created_at" integer NOT NULL, "compacted" integer DEFAULT false NOT NULL, "state_vector" blob, "schema_version" integer, "provenance" text';
const LAYOUTS = {
  rowid: {
    ddl: `CREATE TABLE doc_updates ("id" integer PRIMARY KEY NOT NULL, ${COLUMNS}); CREATE INDEX doc_updates_doc ON doc_updates (doc_name, id)`,
    insert: 'INSERT INTO doc_updates (doc_name, "update", user_id, created_at, compacted) VALUES (@doc, @update, @user, @at, 0)',
    compacted: 'INSERT INTO doc_updates (doc_name, "update", created_at, compacted, state_vector, schema_version) VALUES (@doc, @update, 1, 1, @sv, 0)',
  },
  'without rowid': {
    ddl: `CREATE TABLE doc_updates ("id" integer NOT NULL, ${COLUMNS}, PRIMARY KEY (doc_name, id)) WITHOUT ROWID`,
    insert: 'INSERT INTO doc_updates (doc_name, id, "update", user_id, created_at, compacted) VALUES (@doc, (SELECT coalesce(max(id), 0) + 1 FROM doc_updates WHERE doc_name = @doc), @update, @user, @at, 0)',
    compacted: 'INSERT INTO doc_updates (doc_name, id, "update", created_at, compacted, state_vector, schema_version) VALUES (@doc, @id, @update, 1, 1, @sv, 0)',
  },
};
type Layout = keyof typeof LAYOUTS;
const median = (a: number[]) => [...a].sort((x, y) => x - y)[a.length >> 1];

/** Each update of a doc that gets a shape and then moves it, and of a doc that gets 10,000 shapes. */
function updates() {
  const small: Uint8Array[] = [];
  const a = new Y.Doc();
  a.on('update', (u: Uint8Array) => small.push(u));
  addShape(a, { id: 'd', kind: 'box', label: 'c', points: [0, 0, 1, 1] }, { author: 'bench' });
  for (let i = 1; i < PER; i++) moveShape(a, 'd', [i, 1, 1, 1], { author: 'bench' });
  const big: Uint8Array[] = [];
  const b = new Y.Doc();
  b.on('update', (u: Uint8Array) => big.push(u));
  for (let i = 0; i < 10_000; i++) addShape(b, { id: `s${i}`, kind: 'box', label: 'c', points: [i, i, i + 1, i + 1] }, { author: 'bench' });
  return { small, big, bigState: Y.encodeStateAsUpdate(b), bigSv: Y.encodeStateVector(b) };
}
const u = updates();
const docs = Array.from({ length: DOCS }, (_, i) => `ann:0a3f1c2e-8d4b-4c6a-9e2f-${String(i).padStart(12, '0')}`);
const bigDoc = 'ann:0a3f1c2e-8d4b-4c6a-9e2f-b00000000000';

function round(dir: string, layout: Layout, r: number) {
  const file = join(dir, `${r}-${layout.replace(' ', '-')}.db`);
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('wal_autocheckpoint = 0');
  db.exec(LAYOUTS[layout].ddl);
  const insert = db.prepare(LAYOUTS[layout].insert);
  const group = db.transaction((rows: { doc: string; update: Uint8Array }[]) => {
    const at = Date.now();
    for (const row of rows) insert.run({ ...row, user: USER, at });
  });
  const checkpoint = () => db.pragma('wal_checkpoint(TRUNCATE)');
  const walFrames = () => statSync(`${file}-wal`).size / (24 + 4096);
  /** µs per item over `n` items (with n = 1000: ms for the whole). */
  const timed = (n: number, fn: () => void) => {
    checkpoint();
    const t0 = performance.now();
    fn();
    return ((performance.now() - t0) * 1000) / n;
  };
  const ms = (fn: () => void) => timed(1000, fn);
  for (let i = 0; i < u.big.length; i += 100) group(u.big.slice(i, i + 100).map((update) => ({ doc: bigDoc, update })));
  const one = timed(PER * DOCS, () => {
    for (let i = 0; i < PER; i++) for (const doc of docs) group([{ doc, update: u.small[i] }]);
  });
  const oneFrames = walFrames() / (PER * DOCS);
  const by20 = timed(PER * DOCS, () => {
    for (let i = 0; i < PER; i++) group(docs.map((doc) => ({ doc, update: u.small[i] })));
  });
  const burst = docs.flatMap((doc) => u.small.slice(0, 50).map((update) => ({ doc, update })));
  const by1000 = timed(20 * burst.length, () => {
    for (let i = 0; i < 20; i++) group(burst);
  });
  const dropCache = () => (db.pragma('cache_size = 0'), db.pragma('cache_size = -2000'));
  const readLog = db.prepare('SELECT id, "update", user_id, provenance FROM doc_updates WHERE doc_name = ? ORDER BY id');
  const logMs: number[] = [];
  for (let k = 0; k < 5; k++) logMs.push((dropCache(), ms(() => void readLog.all(bigDoc))));
  // compaction: the log swapped for one row (the last id kept, as the store would)
  const last = (db.prepare('SELECT max(id) FROM doc_updates WHERE doc_name = ?').pluck().get(bigDoc) as number);
  db.prepare('DELETE FROM doc_updates WHERE doc_name = ?').run(bigDoc);
  db.prepare(LAYOUTS[layout].compacted).run({ doc: bigDoc, id: last, update: u.bigState, sv: u.bigSv });
  const readSnapshot = db.prepare('SELECT "update", state_vector AS sv, schema_version AS version, (SELECT count(*) FROM doc_updates WHERE doc_name = ?) AS n FROM doc_updates WHERE doc_name = ? ORDER BY id LIMIT 1');
  const snapshotMs: number[] = [];
  for (let k = 0; k < 7; k++) snapshotMs.push((dropCache(), ms(() => void readSnapshot.get(bigDoc, bigDoc))));
  db.close();
  return { one, oneFrames, by20, by1000, log: median(logMs), snapshot: median(snapshotMs) };
}

const dir = mkdtempSync(join(tmpdir(), 'tessera-layout-'));
const runs: Record<Layout, ReturnType<typeof round>[]> = { rowid: [], 'without rowid': [] };
try {
  for (let r = 0; r < ROUNDS; r++) for (const layout of (r % 2 ? ['without rowid', 'rowid'] : ['rowid', 'without rowid']) as Layout[]) runs[layout].push(round(dir, layout, r));
} finally {
  rmSync(dir, { recursive: true, force: true });
}
console.log(`doc_updates layouts, ${ROUNDS} interleaved rounds (medians), updates of ~${u.small[5].byteLength} B, compacted row ${(u.bigState.byteLength / 1e6).toFixed(2)} MB`);
for (const layout of Object.keys(runs) as Layout[]) {
  const m = (k: keyof ReturnType<typeof round>) => median(runs[layout].map((x) => x[k]));
  console.log(
    `${layout}: one-row commit ${m('one').toFixed(1)} µs (${m('oneFrames').toFixed(2)} WAL frames); groups of 20 (one row per document) ${m('by20').toFixed(1)} µs/row; groups of 1,000 (50 per document) ${m('by1000').toFixed(2)} µs/row; 10,000-row log read ${m('log').toFixed(1)} ms; compacted 10,000-shape row read ${m('snapshot').toFixed(2)} ms`,
  );
}
