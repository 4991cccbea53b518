// SQLite (drizzle) repositories for projects, memberships and label classes.
import { and, asc, count, eq, gt, sql } from 'drizzle-orm';
import type { ClassRecord, ClassRepo, MemberRepo, MemberView, MembershipRecord, ProjectRecord, ProjectRepo } from '../../ports/projects.ts';
import type { Db } from './open.ts';
import { alias } from 'drizzle-orm/sqlite-core';
import { labelClasses, memberships, projects, users } from './schema.ts';
import { uniquely } from './errors.ts';
import type { SyncOf } from '../serial.ts';

export function sqliteProjects(db: Db): SyncOf<ProjectRepo> {
  return {
    insert: (p) => void uniquely(`a project named "${p.name}" exists already`, () => db.insert(projects).values(p).run()),
    byId: (id) => (db.select().from(projects).where(eq(projects.id, id)).get() as ProjectRecord | undefined) ?? null,
    byName: (name) => (db.select().from(projects).where(eq(projects.name, name)).get() as ProjectRecord | undefined) ?? null,
    update: (id, patch) => {
      if (Object.keys(patch).length === 0) return;
      uniquely(`a project named "${patch.name}" exists already`, () => db.update(projects).set(patch).where(eq(projects.id, id)).run());
    },
    listForMember: (userId, { limit, after }) =>
      db
        .select({ id: projects.id, name: projects.name, description: projects.description, createdAt: projects.createdAt, createdBy: projects.createdBy, fourEyes: projects.fourEyes, role: memberships.role })
        .from(memberships)
        .innerJoin(projects, eq(projects.id, memberships.projectId))
        .where(after !== undefined ? and(eq(memberships.userId, userId), gt(projects.name, after)) : eq(memberships.userId, userId))
        .orderBy(asc(projects.name))
        .limit(limit)
        .all() as (ProjectRecord & { role: MembershipRecord['role'] })[],
  };
}

export function sqliteMembers(db: Db): SyncOf<MemberRepo> {
  const key = (projectId: string, userId: string) => and(eq(memberships.projectId, projectId), eq(memberships.userId, userId));
  // prepared once: asked on every request and sync connection (role checks)
  const get = db.select().from(memberships).where(and(eq(memberships.projectId, sql.placeholder('projectId')), eq(memberships.userId, sql.placeholder('userId')))).prepare();
  return {
    get: (projectId, userId) => (get.get({ projectId, userId }) as MembershipRecord | undefined) ?? null,
    put: (m) =>
      void db.insert(memberships).values(m).onConflictDoUpdate({ target: [memberships.projectId, memberships.userId], set: { role: m.role } }).run(),
    remove: (projectId, userId) => db.delete(memberships).where(key(projectId, userId)).run().changes > 0,
    list: (projectId) =>
      db
        .select({ userId: users.id, username: users.username, displayName: users.displayName, role: memberships.role })
        .from(memberships)
        .innerJoin(users, eq(users.id, memberships.userId))
        .where(eq(memberships.projectId, projectId))
        .orderBy(asc(users.username))
        .all() as MemberView[],
    rolesBeside: (userId, otherId) => {
      const theirs = alias(memberships, 'theirs');
      return db
        .select({ role: memberships.role })
        .from(memberships)
        .innerJoin(theirs, and(eq(theirs.projectId, memberships.projectId), eq(theirs.userId, otherId)))
        .where(eq(memberships.userId, userId))
        .all()
        .map((r) => r.role);
    },
    countWithRole: (projectId, role) =>
      db.select({ n: count() }).from(memberships).where(and(eq(memberships.projectId, projectId), eq(memberships.role, role))).get()?.n ?? 0,
  };
}

export function sqliteClasses(db: Db): SyncOf<ClassRepo> {
  return {
    list: (projectId) =>
      db.select().from(labelClasses).where(eq(labelClasses.projectId, projectId)).orderBy(asc(labelClasses.position), asc(labelClasses.id)).all() as ClassRecord[],
    get: (projectId, id) =>
      (db.select().from(labelClasses).where(and(eq(labelClasses.id, id), eq(labelClasses.projectId, projectId))).get() as ClassRecord | undefined) ?? null,
    findBy: (projectId, field, value) =>
      (db
        .select()
        .from(labelClasses)
        .where(and(eq(labelClasses.projectId, projectId), eq(field === 'name' ? labelClasses.name : labelClasses.hotkey, value)))
        .get() as ClassRecord | undefined) ?? null,
    insert: (c) => void uniquely(`another class already has name "${c.name}"`, () => db.insert(labelClasses).values(c).run()),
    update: (id, patch) => {
      if (Object.keys(patch).length === 0) return;
      uniquely(`another class already has name "${patch.name}"`, () => db.update(labelClasses).set(patch).where(eq(labelClasses.id, id)).run());
    },
    remove: (id) => db.delete(labelClasses).where(eq(labelClasses.id, id)).run().changes > 0,
  };
}
