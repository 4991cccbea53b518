// Projects and their memberships (one role per member per project).
import { and, asc, eq, gt } from 'drizzle-orm';
import { AppError, conflict, forbidden, notFound } from '../../shared/errors.ts';
import type { Role } from '../../shared/roles.ts';
import type { Db } from '../adapters/sqlite/open.ts';
import { memberships, projects, users } from '../adapters/sqlite/schema.ts';
import { immediate } from '../adapters/sqlite/open.ts';
import { audit } from './audit.ts';
import type { User } from './auth.ts';
import { newId, now } from './ids.ts';

export interface ProjectSummary {
  id: string;
  name: string;
  description: string;
  role: Role;
}

export function createProject(db: Db, actor: User, input: { name: string; description?: string }): ProjectSummary {
  if (!actor.isAdmin) throw forbidden('only administrators may create projects');
  return immediate(db, () => {
    if (db.select({ id: projects.id }).from(projects).where(eq(projects.name, input.name)).get()) {
      throw conflict(`a project named "${input.name}" exists already`);
    }
    const id = newId();
    const t = now();
    db.insert(projects).values({ id, name: input.name, description: input.description ?? '', createdAt: t, createdBy: actor.id }).run();
    db.insert(memberships).values({ projectId: id, userId: actor.id, role: 'manager', createdAt: t }).run();
    audit(db, { actorId: actor.id, projectId: id, action: 'project.create', subject: id, details: { name: input.name } });
    return { id, name: input.name, description: input.description ?? '', role: 'manager' as const };
  });
}

export function listProjectsFor(db: Db, userId: string, limit: number, cursor?: string) {
  const rows = db
    .select({ id: projects.id, name: projects.name, description: projects.description, role: memberships.role })
    .from(memberships)
    .innerJoin(projects, eq(projects.id, memberships.projectId))
    .where(cursor ? and(eq(memberships.userId, userId), gt(projects.name, cursor)) : eq(memberships.userId, userId))
    .orderBy(asc(projects.name))
    .limit(limit + 1)
    .all();
  const items = rows.slice(0, limit);
  return { items, next: rows.length > limit ? items[items.length - 1].name : null };
}

export function getProject(db: Db, projectId: string) {
  return db.select().from(projects).where(eq(projects.id, projectId)).get() ?? null;
}

export function findProjectByName(db: Db, name: string) {
  return db.select().from(projects).where(eq(projects.name, name)).get() ?? null;
}

export function updateProject(db: Db, actorId: string, projectId: string, patch: { name?: string; description?: string }) {
  return immediate(db, () => {
    if (patch.name) {
      const clash = db.select({ id: projects.id }).from(projects).where(eq(projects.name, patch.name)).get();
      if (clash && clash.id !== projectId) throw conflict(`a project named "${patch.name}" exists already`);
    }
    if (Object.keys(patch).length === 0) return getProject(db, projectId)!;
    db.update(projects).set(patch).where(eq(projects.id, projectId)).run();
    audit(db, { actorId, projectId, action: 'project.update', subject: projectId, details: patch });
    return getProject(db, projectId)!;
  });
}

export function listMembers(db: Db, projectId: string) {
  return db
    .select({ userId: users.id, username: users.username, displayName: users.displayName, role: memberships.role })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(eq(memberships.projectId, projectId))
    .orderBy(asc(users.username))
    .all();
}

function managerCount(db: Db, projectId: string): number {
  return db
    .select({ userId: memberships.userId })
    .from(memberships)
    .where(and(eq(memberships.projectId, projectId), eq(memberships.role, 'manager')))
    .all().length;
}

/** Adds a member or changes their role. A project always keeps at least one manager. */
export function setMember(db: Db, actorId: string, projectId: string, username: string, role: Role) {
  return immediate(db, () => {
    const user = db.select().from(users).where(eq(users.username, username)).get();
    if (!user) throw notFound(`user "${username}"`);
    const existing = db
      .select()
      .from(memberships)
      .where(and(eq(memberships.projectId, projectId), eq(memberships.userId, user.id)))
      .get();
    if (existing) {
      if (existing.role === 'manager' && role !== 'manager' && managerCount(db, projectId) === 1) {
        throw conflict('a project needs at least one manager: make someone else manager first');
      }
      db.update(memberships).set({ role }).where(and(eq(memberships.projectId, projectId), eq(memberships.userId, user.id))).run();
    } else {
      db.insert(memberships).values({ projectId, userId: user.id, role, createdAt: now() }).run();
    }
    audit(db, { actorId, projectId, action: existing ? 'member.update' : 'member.add', subject: user.id, details: { username, role, previous: existing?.role ?? null } });
    return { userId: user.id, username: user.username, displayName: user.displayName, role };
  });
}

export function removeMember(db: Db, actorId: string, projectId: string, userId: string) {
  immediate(db, () => {
    const existing = db
      .select()
      .from(memberships)
      .where(and(eq(memberships.projectId, projectId), eq(memberships.userId, userId)))
      .get();
    if (!existing) throw notFound('member');
    if (existing.role === 'manager' && managerCount(db, projectId) === 1) {
      throw new AppError('conflict', 'cannot remove the last manager of a project');
    }
    db.delete(memberships).where(and(eq(memberships.projectId, projectId), eq(memberships.userId, userId))).run();
    audit(db, { actorId, projectId, action: 'member.remove', subject: userId, details: { role: existing.role } });
  });
}
