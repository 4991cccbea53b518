// The update journal: appends are durable in the file before they reach doc_updates, a read sees
// them anyway, a SIGKILLed process's groups are replayed once at the next open (and a torn last
// record dropped), and a failed journal write falls back to committing to the table.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDir } from '../../testing/fixtures.ts';
import { every, until } from '../../testing/wait.ts';
import { encodeGroup } from './journal-record.ts';
import { openDb, type Db } from './open.ts';
import { journalOf, openUpdateJournal, type UpdateJournal } from './update-journal.ts';
import { JOURNAL_MAX_GROUP, sqliteUpdateStore } from './update-store.ts';

const tableRows = (db: Db) =>
  db.$client.prepare('SELECT doc_name AS doc, "update" AS u, user_id AS user, created_at AS at FROM doc_updates ORDER BY id').all() as Array<{ doc: string; u: Buffer; user: string | null; at: number }>;
const mark = (db: Db) => (db.$client.prepare('SELECT flushed_seq AS s FROM update_journal').get() as { s: number } | undefined)?.s ?? 0;
const up = (doc: string, byte: number, userId: string | null = 'u') => ({ docName: doc, update: new Uint8Array([byte, 0]), userId });

describe('update journal', () => {
  const open: Array<{ db: Db; journal?: UpdateJournal }> = [];
  const dirs: Array<{ cleanup(): void }> = [];
  const setup = (flushMs = 3_600_000) => {
    const dir = tempDir();
    dirs.push(dir);
    const file = join(dir.dir, 'tessera.db');
    const db = openDb({ file });
    const journal = openUpdateJournal(db, `${file}-updates`, { flushMs });
    open.push({ db, journal });
    return { db, journal, file, store: sqliteUpdateStore(db) };
  };
  afterEach(async () => {
    for (const o of open.splice(0)) (await o.journal?.close(), o.db.$client.close());
    for (const d of dirs.splice(0)) d.cleanup();
  });

  it('acknowledges an append once it is in the journal file; a read moves it into the table first', async () => {
    const { db, journal, file, store } = setup();
    await store.appendMany([up('ann:a', 1), up('cmt:a', 2, null)]);
    await store.append('ann:a', new Uint8Array([3, 0]), 'v');
    expect(tableRows(db)).toEqual([]);
    expect(journal.pending()).toBe(2);
    expect(statSync(`${file}-updates`).size).toBeGreaterThan(0);
    expect(await store.load('ann:a')).toEqual([new Uint8Array([1, 0]), new Uint8Array([3, 0])]);
    expect(tableRows(db).map((r) => [r.doc, r.user])).toEqual([['ann:a', 'u'], ['cmt:a', null], ['ann:a', 'v']]);
    expect([journal.pending(), mark(db), statSync(`${file}-updates`).size]).toEqual([0, 2, 0]);
  });

  it('moves pending groups into the table on its own within flushMs, in one transaction', async () => {
    const { db, journal, store } = setup(5);
    for (let i = 0; i < 50; i++) await store.appendMany([up(`ann:${i % 3}`, i)]);
    await until(() => journal.pending() === 0, [every(2)], 5000, 'the journal to empty');
    expect(tableRows(db).map((r) => r.u[0])).toEqual([...Array(50).keys()]);
    expect(mark(db)).toBe(50);
  });

  it('commits a group larger than JOURNAL_MAX_GROUP to the table at once, after the groups the journal holds', async () => {
    const { db, journal, store } = setup();
    await store.appendMany([up('ann:a', 1)]);
    await store.appendMany(Array.from({ length: JOURNAL_MAX_GROUP + 1 }, (_, i) => up('ann:a', 2 + i)));
    expect(journal.pending()).toBe(0);
    expect(tableRows(db).map((r) => r.u[0])).toEqual(Array.from({ length: JOURNAL_MAX_GROUP + 2 }, (_, i) => 1 + i));
    await store.appendMany([up('ann:a', 200)]); // and the next small one is journaled again
    expect(journal.pending()).toBe(1);
  });

  it('keeps the groups when moving them into the table fails, and retries on its own', async () => {
    const dir = tempDir();
    dirs.push(dir);
    const file = join(dir.dir, 'tessera.db');
    const db = openDb({ file });
    const logs: string[] = [];
    const journal = openUpdateJournal(db, `${file}-updates`, { flushMs: 5, log: (m) => logs.push(m) });
    open.push({ db, journal });
    const store = sqliteUpdateStore(db);
    await store.appendMany([up('ann:a', 1)]);
    db.$client.exec('ALTER TABLE update_journal RENAME TO update_journal_away'); // the mark cannot be written
    await expect(store.load('ann:a')).rejects.toThrow(/update_journal/);
    expect(journal.pending()).toBe(1);
    await until(() => logs.length > 0, [every(2)], 5000, 'the timed move to fail');
    expect(logs[0]).toBe('update journal: moving groups into the table failed; retrying');
    db.$client.exec('ALTER TABLE update_journal_away RENAME TO update_journal');
    await until(() => journal.pending() === 0, [every(5)], 5000, 'the retry to move the group in');
    expect(tableRows(db).map((r) => r.u[0])).toEqual([1]);
  });

  it('rejects a group with a bad update and journals none of it', async () => {
    const { journal, store } = setup();
    await expect(store.appendMany([up('ann:a', 1), { docName: 'ann:a', update: null as unknown as Uint8Array, userId: 'u' }])).rejects.toThrow('update 1 of the group (ann:a): update must be a Uint8Array');
    expect(journal.pending()).toBe(0);
    expect(await store.count('ann:a')).toBe(0);
  });

  it('replays what a SIGKILLed process had journaled, once, and drops a torn last record', async () => {
    const dir = tempDir();
    dirs.push(dir);
    const file = join(dir.dir, 'tessera.db');
    openDb({ file }).$client.close(); // migrated before the child opens it
    const writer = join(import.meta.dirname, 'testing/journal-writer.ts');
    const child = spawn(process.execPath, ['--import', 'tsx', writer, file, '40'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr!.on('data', (b) => (stderr += b));
    await new Promise<void>((resolve, reject) => {
      createInterface({ input: child.stdout! }).on('line', (l) => l === 'journaled 40' && resolve());
      child.once('exit', (code) => reject(new Error(`journal writer exited (${code}): ${stderr}`)));
    });
    const killed = new Promise((r) => child.once('exit', r));
    child.kill('SIGKILL');
    await killed;
    // a crash in the middle of a 41st record
    const path = `${file}-updates`;
    const torn = encodeGroup(41, 1, [up('ann:crash', 99)]);
    writeFileSync(path, Buffer.concat([readFileSync(path), torn.subarray(0, torn.length - 3)]));

    const logs: Array<[string, unknown]> = [];
    const db = openDb({ file });
    expect(tableRows(db)).toEqual([]); // nothing reached the table before the kill
    const journal = openUpdateJournal(db, path, { log: (m, d) => logs.push([m, d]) });
    open.push({ db, journal });
    const rows = tableRows(db);
    expect(rows).toHaveLength(80);
    expect(rows.slice(0, 4).map((r) => [r.doc, [...r.u], r.user])).toEqual([
      ['ann:crash', [0, 1], 'u0'], ['cmt:crash', [0, 2], null], ['ann:crash', [1, 1], 'u1'], ['cmt:crash', [1, 2], null],
    ]);
    expect(rows.every((r) => r.at > 0)).toBe(true);
    expect(mark(db)).toBe(40);
    expect(logs).toEqual([
      ['update journal: taking over a lock whose process is gone', { lockPath: `${path}.lock`, pid: child.pid }],
      ['update journal replayed', expect.objectContaining({ groups: 40, updates: 80, alreadyInTable: 0, tornBytesDropped: torn.length - 3 })],
    ]);
    expect(statSync(path).size).toBe(0);

    // the next groups are numbered after the replayed ones; a reopen replays nothing twice
    const store = sqliteUpdateStore(db);
    await store.append('ann:crash', new Uint8Array([7, 7]), 'w');
    const copy = readFileSync(path);
    await journal.close();
    writeFileSync(path, copy); // as if the process died after the commit, before emptying the file
    db.$client.close();
    open.pop();
    const again = openDb({ file });
    const reopened = openUpdateJournal(again, path);
    open.push({ db: again, journal: reopened });
    expect(tableRows(again)).toHaveLength(81);
    expect(mark(again)).toBe(41);
  });

  it.skipIf(!existsSync('/dev/full'))('after a failed journal write, rejects that group and commits the next ones to the table directly', async () => {
    const dir = tempDir();
    dirs.push(dir);
    const db = openDb({ file: join(dir.dir, 'tessera.db') });
    const logs: string[] = [];
    const journal = openUpdateJournal(db, '/dev/full', { log: (m) => logs.push(m), lock: false }); // every write fails: ENOSPC
    open.push({ db, journal });
    const store = sqliteUpdateStore(db);
    await expect(store.append('ann:a', new Uint8Array([1, 0]), 'u')).rejects.toThrow(/ENOSPC/);
    expect(journalOf(db)?.accepting()).toBe(false);
    await store.appendMany([up('ann:a', 2)]);
    expect(tableRows(db).map((r) => r.u[0])).toEqual([2]);
    expect(logs).toEqual(['update journal: a write failed; committing to the table directly from now on']);
  });

  it('is one per connection, and one per file: a second server on the data directory is refused', async () => {
    const { db, file } = setup();
    expect(() => openUpdateJournal(db, `${file}-other`)).toThrow('an update journal is already attached to this database');
    const second = openDb({ file });
    open.push({ db: second });
    expect(() => openUpdateJournal(second, `${file}-updates`)).toThrow('is already open in this process');
    // another live process holds the lock (here: the test runner's parent)
    const other = tempDir();
    dirs.push(other);
    const otherDb = openDb({ file: join(other.dir, 'tessera.db') });
    open.push({ db: otherDb });
    const path = join(other.dir, 'tessera.db-updates');
    writeFileSync(`${path}.lock`, `${process.ppid}\n`);
    expect(() => openUpdateJournal(otherDb, path)).toThrow(`the update journal ${path} is in use by process ${process.ppid}`);
    expect(readFileSync(`${path}.lock`, 'utf8')).toBe(`${process.ppid}\n`); // left to its holder
    // once it is gone (or the file is stale), the journal opens and holds the lock until closed
    writeFileSync(`${path}.lock`, '0\n');
    const journal = openUpdateJournal(otherDb, path);
    expect(readFileSync(`${path}.lock`, 'utf8')).toBe(`${process.pid}\n`);
    await journal.close();
    expect(existsSync(`${path}.lock`)).toBe(false);
  });
});
