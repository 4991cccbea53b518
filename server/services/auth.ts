// Accounts, passwords (scrypt), browser sessions and API tokens (only hashes are stored).
import { and, eq, isNull } from 'drizzle-orm';
import { AppError, conflict, notFound } from '../../shared/errors.ts';
import type { Db } from '../adapters/sqlite/open.ts';
import { tokens, users } from '../adapters/sqlite/schema.ts';
import { audit } from './audit.ts';
import { newId, newSecret, now, sha256Hex } from './ids.ts';
import { hashPassword, verifyPassword } from './passwords.ts';

export const SESSION_TTL_MS = 14 * 24 * 3600 * 1000;

export interface User {
  id: string;
  username: string;
  displayName: string;
  isAdmin: boolean;
}

const toUser = (row: typeof users.$inferSelect): User => ({
  id: row.id,
  username: row.username,
  displayName: row.displayName,
  isAdmin: row.isAdmin,
});

export function createUser(
  db: Db,
  input: { username: string; password: string; displayName?: string; isAdmin?: boolean },
  actorId: string | null,
): User {
  const existing = db.select({ id: users.id }).from(users).where(eq(users.username, input.username)).get();
  if (existing) throw conflict(`username "${input.username}" is taken`);
  const row = {
    id: newId(),
    username: input.username,
    displayName: input.displayName ?? input.username,
    passwordHash: hashPassword(input.password),
    isAdmin: input.isAdmin ?? false,
    createdAt: now(),
  };
  db.insert(users).values(row).run();
  audit(db, { actorId, action: 'user.create', subject: row.id, details: { username: row.username } });
  return toUser(row);
}

export function getUser(db: Db, id: string): User | null {
  const row = db.select().from(users).where(eq(users.id, id)).get();
  return row ? toUser(row) : null;
}

export function findUserByName(db: Db, username: string): User | null {
  const row = db.select().from(users).where(eq(users.username, username)).get();
  return row ? toUser(row) : null;
}

/**
 * Checks a password (off the event loop); on success creates a session and returns its secret
 * (shown once). Failures are audited by the caller's limiter, aggregated per address.
 */
export async function login(db: Db, username: string, password: string): Promise<{ user: User; token: string; expiresAt: number }> {
  const found = db.select().from(users).where(eq(users.username, username)).get();
  // Verify against a dummy hash for unknown users so that timing does not reveal which names exist.
  const ok = await verifyPassword(password, found?.passwordHash ?? DUMMY_HASH);
  // Read again after the await: the account may have gone meanwhile.
  const row = ok && found ? db.select().from(users).where(eq(users.id, found.id)).get() : undefined;
  if (!row) throw new AppError('unauthenticated', 'wrong username or password');
  return { user: toUser(row), ...startSession(db, row.id) };
}

/** A new browser session for a user whose identity is already established; its secret is shown once. */
export function startSession(db: Db, userId: string): { token: string; expiresAt: number } {
  const secret = newSecret();
  const expiresAt = now() + SESSION_TTL_MS;
  db.insert(tokens).values({ id: newId(), secretHash: sha256Hex(secret), userId, kind: 'session', createdAt: now(), expiresAt }).run();
  audit(db, { actorId: userId, action: 'auth.login', subject: userId });
  return { token: secret, expiresAt };
}
const DUMMY_HASH = hashPassword('not-a-real-password');

export interface Principal {
  user: User;
  tokenId: string;
  tokenKind: 'session' | 'api';
}

/** Resolves a session or API token secret to its user, or null if unknown, revoked or expired. */
export function resolveToken(db: Db, secret: string | undefined | null): Principal | null {
  if (!secret || secret.length > 200) return null;
  const row = db
    .select({ t: tokens, u: users })
    .from(tokens)
    .innerJoin(users, eq(tokens.userId, users.id))
    .where(and(eq(tokens.secretHash, sha256Hex(secret)), isNull(tokens.revokedAt)))
    .get();
  if (!row) return null;
  if (row.t.expiresAt != null && row.t.expiresAt < now()) return null;
  return { user: toUser(row.u), tokenId: row.t.id, tokenKind: row.t.kind };
}

/** Whether a token (by id) is still valid: not revoked, not expired. */
export function tokenActive(db: Db, tokenId: string): boolean {
  const row = db.select({ revokedAt: tokens.revokedAt, expiresAt: tokens.expiresAt }).from(tokens).where(eq(tokens.id, tokenId)).get();
  return !!row && row.revokedAt == null && (row.expiresAt == null || row.expiresAt >= now());
}

export function logout(db: Db, principal: Principal): void {
  db.update(tokens).set({ revokedAt: now() }).where(eq(tokens.id, principal.tokenId)).run();
  audit(db, { actorId: principal.user.id, action: 'auth.logout', subject: principal.user.id });
}

export function createApiToken(db: Db, userId: string, name: string) {
  const secret = newSecret();
  const row = { id: newId(), secretHash: sha256Hex(secret), userId, kind: 'api' as const, name, createdAt: now() };
  db.insert(tokens).values(row).run();
  audit(db, { actorId: userId, action: 'token.create', subject: row.id, details: { name } });
  return { id: row.id, name, createdAt: row.createdAt, token: secret };
}

export function listApiTokens(db: Db, userId: string) {
  return db
    .select({ id: tokens.id, name: tokens.name, createdAt: tokens.createdAt, revokedAt: tokens.revokedAt })
    .from(tokens)
    .where(and(eq(tokens.userId, userId), eq(tokens.kind, 'api')))
    .all();
}

export function revokeApiToken(db: Db, userId: string, tokenId: string): void {
  const row = db
    .select()
    .from(tokens)
    .where(and(eq(tokens.id, tokenId), eq(tokens.userId, userId), eq(tokens.kind, 'api')))
    .get();
  if (!row) throw notFound('token');
  db.update(tokens).set({ revokedAt: now() }).where(eq(tokens.id, tokenId)).run();
  audit(db, { actorId: userId, action: 'token.revoke', subject: tokenId });
}
