// Synchronous token and document-access look-ups for the WebSocket adapter, which still takes a
// `Db` and answers an upgrade synchronously. They apply the same rules as services/auth.ts
// (resolveToken, tokenActive) and services/access.ts (accessToDoc) and go away when the sync
// adapter is given those async service functions instead (issue 8, sync half).
import { and, eq, isNull } from 'drizzle-orm';
import { docAccess, type DocAccess } from '../../../shared/policy.ts';
import { parseDocName, type UserId } from '../../../shared/ids.ts';
import type { Db } from './open.ts';
import { images, memberships, tokens, users } from './schema.ts';
import { createHash } from 'node:crypto';

const hash = (s: string) => createHash('sha256').update(s).digest('hex');

export function resolveTokenNow(db: Db, secret: string | null): { user: { id: UserId }; tokenId: string } | null {
  if (!secret || secret.length > 200) return null;
  const row = db
    .select({ id: tokens.id, expiresAt: tokens.expiresAt, userId: users.id })
    .from(tokens)
    .innerJoin(users, eq(tokens.userId, users.id))
    .where(and(eq(tokens.secretHash, hash(secret)), isNull(tokens.revokedAt)))
    .get();
  if (!row || (row.expiresAt != null && row.expiresAt < Date.now())) return null;
  return { user: { id: row.userId as UserId }, tokenId: row.id };
}

export function tokenActiveNow(db: Db, tokenId: string): boolean {
  const row = db.select({ revokedAt: tokens.revokedAt, expiresAt: tokens.expiresAt }).from(tokens).where(eq(tokens.id, tokenId)).get();
  return !!row && row.revokedAt == null && (row.expiresAt == null || row.expiresAt >= Date.now());
}

export function accessToDocNow(db: Db, userId: string, name: string): { access: DocAccess } {
  const parsed = parseDocName(name);
  if (!parsed) return { access: 'none' };
  const image = db.select({ projectId: images.projectId, assigneeId: images.assigneeId }).from(images).where(eq(images.id, parsed.imageId)).get();
  if (!image) return { access: 'none' };
  const role = db.select({ role: memberships.role }).from(memberships).where(and(eq(memberships.projectId, image.projectId), eq(memberships.userId, userId))).get()?.role ?? null;
  return { access: docAccess(role, userId, image, parsed.kind) };
}
