// Migrations apply to an empty database, and to a database left by each earlier migration.
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { MIGRATIONS_DIR, openDb } from './open.ts';
import { tempDir } from '../../testing/fixtures.ts';

const journal = JSON.parse(readFileSync(join(MIGRATIONS_DIR, 'meta/_journal.json'), 'utf8')) as { entries: { tag: string }[] };
let cleanup = () => {};
afterEach(() => cleanup());

const schemaOf = (file: string) => {
  const db = openDb({ file });
  const rows = db.$client.prepare("select type, name, sql from sqlite_master where name not like 'sqlite_%' and name != '__drizzle_migrations' order by name").all();
  db.$client.close();
  return rows;
};

describe('migrations', () => {
  it('create every table in an empty database', () => {
    const t = tempDir();
    cleanup = t.cleanup;
    const names = (schemaOf(join(t.dir, 'a.db')) as { name: string }[]).map((r) => r.name);
    expect(names).toEqual(expect.arrayContaining(['users', 'tokens', 'projects', 'memberships', 'label_classes', 'blobs', 'images', 'audit_log', 'doc_updates']));
  });

  for (let k = 1; k <= journal.entries.length; k++) {
    it(`upgrade a database made by the first ${k} migration(s) to the same schema as a fresh one`, () => {
      const t = tempDir();
      cleanup = t.cleanup;
      const partial = join(t.dir, 'partial');
      mkdirSync(join(partial, 'meta'), { recursive: true });
      cpSync(MIGRATIONS_DIR, partial, { recursive: true });
      writeFileSync(join(partial, 'meta/_journal.json'), JSON.stringify({ ...journal, entries: journal.entries.slice(0, k) }));
      const file = join(t.dir, 'old.db');
      const old = openDb({ file, migrationsDir: partial });
      old.$client.prepare("insert into users (id, username, display_name, password_hash, created_at) values ('u1', 'kept', 'Kept', 'x', 1)").run();
      old.$client.close();
      const upgraded = schemaOf(file);
      expect(upgraded).toEqual(schemaOf(join(t.dir, 'fresh.db')));
      const db = openDb({ file });
      expect(db.$client.prepare('select username from users').pluck().all()).toEqual(['kept']);
      db.$client.close();
    });
  }
});
