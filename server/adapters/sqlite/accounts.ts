// SQLite (drizzle) repositories for users and tokens.
import { and, asc, eq, isNull } from 'drizzle-orm';
import type { TokenRecord, TokenRepo, UserRecord, UserRepo } from '../../ports/accounts.ts';
import type { Db } from './open.ts';
import { tokens, users } from './schema.ts';
import { uniquely } from './errors.ts';
import type { SyncOf } from '../serial.ts';

const user = (r: typeof users.$inferSelect) => r as UserRecord;
const token = (r: typeof tokens.$inferSelect): TokenRecord => ({
  id: r.id,
  secretHash: r.secretHash,
  userId: r.userId as TokenRecord['userId'],
  kind: r.kind,
  name: r.name,
  createdAt: r.createdAt,
  expiresAt: r.expiresAt,
  revokedAt: r.revokedAt,
});

export function sqliteUsers(db: Db): SyncOf<UserRepo> {
  return {
    insert: (u) => void uniquely(`username "${u.username}" is taken`, () => db.insert(users).values(u).run()),
    byId: (id) => {
      const r = db.select().from(users).where(eq(users.id, id)).get();
      return r ? user(r) : null;
    },
    byUsername: (name) => {
      const r = db.select().from(users).where(eq(users.username, name)).get();
      return r ? user(r) : null;
    },
  };
}

export function sqliteTokens(db: Db): SyncOf<TokenRepo> {
  return {
    insert: (t) => void db.insert(tokens).values(t).run(),
    unrevokedBySecretHash: (hash) => {
      const r = db
        .select({ t: tokens, u: users })
        .from(tokens)
        .innerJoin(users, eq(tokens.userId, users.id))
        .where(and(eq(tokens.secretHash, hash), isNull(tokens.revokedAt)))
        .get();
      return r ? { token: token(r.t), user: user(r.u) } : null;
    },
    byId: (id) => {
      const r = db.select().from(tokens).where(eq(tokens.id, id)).get();
      return r ? token(r) : null;
    },
    listByUser: (userId, kind) =>
      db.select().from(tokens).where(and(eq(tokens.userId, userId), eq(tokens.kind, kind))).orderBy(asc(tokens.createdAt), asc(tokens.id)).all().map(token),
    revoke: (id, at) => db.update(tokens).set({ revokedAt: at }).where(eq(tokens.id, id)).run().changes > 0,
    revokeAllOfUser: (userId, at) => db.update(tokens).set({ revokedAt: at }).where(and(eq(tokens.userId, userId), isNull(tokens.revokedAt))).run().changes,
  };
}
