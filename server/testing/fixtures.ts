// Test fixtures: a temp SQLite database and a small project with one user per role.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDb, type Db } from '../adapters/sqlite/open.ts';
import { blobs, images, memberships, projects, tokens, users } from '../adapters/sqlite/schema.ts';
import { SESSION_TTL_MS, type User } from '../services/auth.ts';
import { hashPassword } from '../services/passwords.ts';
import { newId, newSecret, sha256Hex } from '../services/ids.ts';
import type { ImageId, ProjectId, UserId } from '../../shared/ids.ts';
import { ROLES, type Role } from '../../shared/roles.ts';

export interface TempDir {
  dir: string;
  cleanup(): void;
}

export function tempDir(prefix = 'tessera-test-'): TempDir {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export function tempDb(): { db: Db; file: string; cleanup(): void } {
  const t = tempDir();
  const file = join(t.dir, 'tessera.db');
  const db = openDb({ file });
  return {
    db,
    file,
    cleanup() {
      db.$client.close();
      t.cleanup();
    },
  };
}

export interface SeededProject {
  projectId: ProjectId;
  /** One user per role, plus `annotator2` (a second annotator) and `outsider` (member of another project). */
  users: Record<Role | 'annotator2' | 'outsider', User>;
  /** Session tokens for each of `users`. */
  tokens: Record<Role | 'annotator2' | 'outsider', string>;
  /** Image ids: `assigned` is assigned to `annotator`, `other` to `annotator2`, `free` to nobody. */
  images: { assigned: ImageId; other: ImageId; free: ImageId };
  otherProjectId: ProjectId;
}

const PASSWORD = 'test-password';

/** One password hash for every seeded user: scrypt is slow on purpose. */
let passwordHash: string | null = null;

/**
 * Seeds a project with one member per role and three images (rows only; no blob bytes on disk),
 * writing rows directly so that it stays synchronous; each user gets a session token.
 */
export function seedProject(db: Db, name = 'p'): SeededProject {
  const t = Date.now();
  passwordHash ??= hashPassword(PASSWORD);
  const mk = (u: string): User => {
    const user = { id: newId() as UserId, username: `${name}-${u}`, displayName: `${name}-${u}`, isAdmin: false };
    db.insert(users).values({ ...user, passwordHash: passwordHash!, createdAt: t }).run();
    return user;
  };
  const people = Object.fromEntries(
    [...ROLES, 'annotator2', 'outsider'].map((r) => [r, mk(r)]),
  ) as SeededProject['users'];
  const projectId = newId() as ProjectId;
  const otherProjectId = newId() as ProjectId;
  db.insert(projects).values({ id: projectId, name, createdAt: t, createdBy: people.manager.id }).run();
  db.insert(projects).values({ id: otherProjectId, name: `${name}-other`, createdAt: t, createdBy: people.outsider.id }).run();
  for (const role of ROLES) {
    db.insert(memberships).values({ projectId, userId: people[role].id, role, createdAt: t }).run();
  }
  db.insert(memberships).values({ projectId, userId: people.annotator2.id, role: 'annotator', createdAt: t }).run();
  db.insert(memberships).values({ projectId: otherProjectId, userId: people.outsider.id, role: 'manager', createdAt: t }).run();
  const mkImage = (label: string, assigneeId: string | null) => {
    const sha = sha256Hex(`${name}-${label}`);
    db.insert(blobs).values({ sha256: sha, size: 1, mime: 'image/png', createdAt: t }).onConflictDoNothing().run();
    const id = newId() as ImageId;
    db.insert(images)
      .values({
        id,
        projectId,
        sha256: sha,
        fileName: `${label}.png`,
        mime: 'image/png',
        width: 640,
        height: 480,
        status: assigneeId ? 'assigned' : 'new',
        assigneeId,
        createdAt: t,
        createdBy: people.manager.id,
      })
      .run();
    return id;
  };
  const imgs = {
    assigned: mkImage('assigned', people.annotator.id),
    other: mkImage('other', people.annotator2.id),
    free: mkImage('free', null),
  };
  const session = (u: User) => {
    const secret = newSecret();
    db.insert(tokens).values({ id: newId(), secretHash: sha256Hex(secret), userId: u.id, kind: 'session', createdAt: t, expiresAt: t + SESSION_TTL_MS }).run();
    return secret;
  };
  const sessions = Object.fromEntries(Object.entries(people).map(([k, u]) => [k, session(u)])) as SeededProject['tokens'];
  return { projectId, users: people, tokens: sessions, images: imgs, otherProjectId };
}
