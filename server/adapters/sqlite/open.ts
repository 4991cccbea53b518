// Opens the SQLite database (WAL, busy timeout, foreign keys) and applies drizzle migrations.
import Database from 'better-sqlite3';
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as schema from './schema.ts';
import { serial, type Serial } from '../serial.ts';

export type Db = BetterSQLite3Database<typeof schema> & { $client: Database.Database };

export const MIGRATIONS_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../../../drizzle');

export interface OpenDbOptions {
  /** `:memory:` for throwaway databases in tests. */
  file: string;
  migrationsDir?: string;
  /** `NORMAL` is durable across process crashes in WAL mode; `FULL` also across power loss. */
  synchronous?: 'NORMAL' | 'FULL';
}

export function openDb({ file, migrationsDir = MIGRATIONS_DIR, synchronous = 'NORMAL' }: OpenDbOptions): Db {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const sqlite = new Database(file);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('busy_timeout = 5000');
  sqlite.pragma(`synchronous = ${synchronous}`);
  sqlite.pragma('foreign_keys = ON');
  const db = drizzle(sqlite, { schema }) as Db;
  migrate(db, { migrationsFolder: migrationsDir });
  return db;
}

/**
 * Runs `fn` in a `BEGIN IMMEDIATE` transaction (a read-then-write must not upgrade a deferred one).
 * `fn` must be synchronous: better-sqlite3 transactions cannot span an await.
 */
export function immediate<T>(db: Db, fn: () => T): T {
  const tx = db.$client.transaction(fn);
  return tx.immediate();
}

const serials = new WeakMap<Database.Database, Serial>();
/**
 * The one writer gate of a connection: every repository, and any other code that writes through
 * this connection (the update store), runs its statements through it, so that nothing lands
 * inside another caller's open async transaction.
 */
export function serialOf(db: Db): Serial {
  let s = serials.get(db.$client);
  if (!s) serials.set(db.$client, (s = serial()));
  return s;
}
