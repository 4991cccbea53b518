// Accounts, passwords (scrypt), browser sessions and API tokens (only hashes are stored).
import { AppError, notFound } from '../../shared/errors.ts';
import type { UserId } from '../../shared/ids.ts';
import { API_TOKEN_MAX_DAYS, type User } from '../../shared/api/auth.ts';
import type { TokenKind, UserRecord } from '../ports/accounts.ts';
import { audit } from './audit.ts';
import type { ServiceDeps } from './deps.ts';
import { newId, newSecret, now, sha256Hex } from './ids.ts';
import { hashPassword, verifyPassword } from './passwords.ts';

export const SESSION_TTL_MS = 14 * 24 * 3600 * 1000;

export type { User };

const toUser = (row: UserRecord): User => ({
  id: row.id,
  username: row.username,
  displayName: row.displayName,
  isAdmin: row.isAdmin,
});

export async function createUser(
  s: ServiceDeps,
  input: { username: string; password: string; displayName?: string; isAdmin?: boolean },
  actorId: UserId | null,
): Promise<User> {
  const row: UserRecord = {
    id: newId() as UserId,
    username: input.username,
    displayName: input.displayName ?? input.username,
    passwordHash: hashPassword(input.password),
    isAdmin: input.isAdmin ?? false,
    createdAt: now(),
  };
  await s.data.transaction(async (r) => {
    await r.users.insert(row);
    await audit(r, { actorId, action: 'user.create', subject: row.id, details: { username: row.username } });
  });
  return toUser(row);
}

export async function getUser(s: ServiceDeps, id: UserId): Promise<User | null> {
  const row = await s.data.users.byId(id);
  return row ? toUser(row) : null;
}

export async function findUserByName(s: ServiceDeps, username: string): Promise<User | null> {
  const row = await s.data.users.byUsername(username);
  return row ? toUser(row) : null;
}

/**
 * Checks a password (off the event loop); on success creates a session and returns its secret
 * (shown once). Failures are audited by the caller's limiter, aggregated per address.
 */
export async function login(s: ServiceDeps, username: string, password: string): Promise<{ user: User; token: string; expiresAt: number }> {
  const found = await s.data.users.byUsername(username);
  // Verify against a dummy hash for unknown users so that timing does not reveal which names exist.
  const ok = await verifyPassword(password, found?.passwordHash ?? DUMMY_HASH);
  // Read again after the await: the account may have gone meanwhile.
  const row = ok && found ? await s.data.users.byId(found.id) : null;
  if (!row) throw new AppError('unauthenticated', 'wrong username or password');
  return { user: toUser(row), ...(await startSession(s, row.id)) };
}

/** A new browser session for a user whose identity is already established; its secret is shown once. */
export async function startSession(s: ServiceDeps, userId: UserId): Promise<{ token: string; expiresAt: number }> {
  const secret = newSecret();
  const expiresAt = now() + SESSION_TTL_MS;
  await s.data.transaction(async (r) => {
    await r.tokens.insert({ id: newId(), secretHash: sha256Hex(secret), userId, kind: 'session', name: '', createdAt: now(), expiresAt, revokedAt: null });
    await audit(r, { actorId: userId, action: 'auth.login', subject: userId });
  });
  return { token: secret, expiresAt };
}
const DUMMY_HASH = hashPassword('not-a-real-password');

export interface Principal {
  user: User;
  tokenId: string;
  tokenKind: TokenKind;
}

/** Resolves a session or API token secret to its user, or null if unknown, revoked or expired. */
export async function resolveToken(s: ServiceDeps, secret: string | undefined | null): Promise<Principal | null> {
  if (!secret || secret.length > 200) return null;
  const row = await s.data.tokens.unrevokedBySecretHash(sha256Hex(secret));
  if (!row) return null;
  if (row.token.expiresAt != null && row.token.expiresAt < now()) return null;
  return { user: toUser(row.user), tokenId: row.token.id, tokenKind: row.token.kind };
}

/** Whether a token (by id) is still valid: not revoked, not expired. */
export async function tokenActive(s: ServiceDeps, tokenId: string): Promise<boolean> {
  const row = await s.data.tokens.byId(tokenId);
  return !!row && row.revokedAt == null && (row.expiresAt == null || row.expiresAt >= now());
}

/** Ends the session or revokes the token the principal signed in with; its open sockets close. */
export async function logout(s: ServiceDeps, principal: Principal): Promise<void> {
  await s.data.transaction(async (r) => {
    await r.tokens.revoke(principal.tokenId, now());
    await audit(r, { actorId: principal.user.id, action: 'auth.logout', subject: principal.user.id });
  });
  s.accessChanged();
}

export const DAY_MS = 24 * 3600 * 1000;
/** The longest lifetime an API token may be given, whatever the configured default. */
export { API_TOKEN_MAX_DAYS };

/**
 * A new API token that expires after `lifetimeDays` (the route passes the configured default when
 * the caller names none); its secret is shown once.
 */
export async function createApiToken(s: ServiceDeps, userId: UserId, name: string, lifetimeDays: number) {
  if (!Number.isInteger(lifetimeDays) || lifetimeDays < 1 || lifetimeDays > API_TOKEN_MAX_DAYS) {
    throw new AppError('validation', `a token lives 1–${API_TOKEN_MAX_DAYS} days, not ${lifetimeDays}`);
  }
  const secret = newSecret();
  const createdAt = now();
  const row = { id: newId(), secretHash: sha256Hex(secret), userId, kind: 'api' as const, name, createdAt, expiresAt: createdAt + lifetimeDays * DAY_MS, revokedAt: null };
  await s.data.transaction(async (r) => {
    await r.tokens.insert(row);
    await audit(r, { actorId: userId, action: 'token.create', subject: row.id, details: { name, expiresAt: row.expiresAt } });
  });
  return { id: row.id, name, createdAt, expiresAt: row.expiresAt, token: secret };
}

export async function listApiTokens(s: ServiceDeps, userId: UserId) {
  return (await s.data.tokens.listByUser(userId, 'api')).map((t) => ({ id: t.id, name: t.name, createdAt: t.createdAt, expiresAt: t.expiresAt, revokedAt: t.revokedAt }));
}

/**
 * Signs the user out everywhere: every session and API token of theirs is revoked (also the one
 * this request came with) and their open sync sockets close with 4401.
 */
export async function logoutEverywhere(s: ServiceDeps, principal: Principal): Promise<{ revoked: number }> {
  const revoked = await s.data.transaction(async (r) => {
    const n = await r.tokens.revokeAllOfUser(principal.user.id, now());
    await audit(r, { actorId: principal.user.id, action: 'auth.logout_everywhere', subject: principal.user.id, details: { revoked: n } });
    return n;
  });
  s.accessChanged();
  return { revoked };
}

/** Revokes one of the user's API tokens; sockets opened with it close. */
export async function revokeApiToken(s: ServiceDeps, userId: UserId, tokenId: string): Promise<void> {
  await s.data.transaction(async (r) => {
    const row = await r.tokens.byId(tokenId);
    if (!row || row.userId !== userId || row.kind !== 'api') throw notFound('token');
    await r.tokens.revoke(tokenId, now());
    await audit(r, { actorId: userId, action: 'token.revoke', subject: tokenId });
  });
  s.accessChanged();
}
