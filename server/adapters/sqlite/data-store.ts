// The SQLite DataStore: every repository over one better-sqlite3 connection, and async
// transactions as `BEGIN IMMEDIATE … COMMIT` held through the connection's writer gate (never an
// async callback inside better-sqlite3's `db.transaction`).
import type { DataStore, Repositories } from '../../ports/repositories.ts';
import { sqliteTokens, sqliteUsers } from './accounts.ts';
import { sqliteAudit } from './audit.ts';
import { gated } from '../serial.ts';
import { sqliteBlobMeta, sqliteImages } from './images.ts';
import { serialOf, type Db } from './open.ts';
import { sqliteClasses, sqliteMembers, sqliteProjects } from './projects.ts';
import { sqliteReview } from './review.ts';

export function sqliteDataStore(db: Db): DataStore {
  const gate = serialOf(db);
  const raw = db.$client;
  const repos: Repositories = {
    users: gated(gate, sqliteUsers(db)),
    tokens: gated(gate, sqliteTokens(db)),
    projects: gated(gate, sqliteProjects(db)),
    members: gated(gate, sqliteMembers(db)),
    classes: gated(gate, sqliteClasses(db)),
    images: gated(gate, sqliteImages(db)),
    blobs: gated(gate, sqliteBlobMeta(db)),
    audit: gated(gate, sqliteAudit(db)),
    review: gated(gate, sqliteReview(db)),
  };
  const ping = raw.prepare('select 1');
  return {
    ...repos,
    transaction(fn) {
      if (gate.inside()) return fn(repos);
      return gate.exclusive(async () => {
        raw.exec('BEGIN IMMEDIATE');
        try {
          const result = await fn(repos);
          raw.exec('COMMIT');
          return result;
        } catch (e) {
          if (raw.inTransaction) raw.exec('ROLLBACK');
          throw e;
        }
      });
    },
    ping: () => gate.op(() => void ping.get()),
  };
}
