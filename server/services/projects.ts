// Projects and their memberships (one role per member per project). Membership changes tell open
// sync connections to re-check their access.
import { AppError, conflict, notFound } from '../../shared/errors.ts';
import { can, canAdmin } from '../../shared/policy.ts';
import type { ProjectId, UserId } from '../../shared/ids.ts';
import type { Role } from '../../shared/roles.ts';
import type { UserRecord } from '../ports/accounts.ts';
import type { Project } from '../../shared/api/projects.ts';
import type { MemberView, ProjectRecord } from '../ports/projects.ts';
import type { Repositories } from '../ports/repositories.ts';
import { audit } from './audit.ts';
import type { User } from './auth.ts';
import type { ServiceDeps } from './deps.ts';
import { newId, now } from './ids.ts';

export type ProjectSummary = Project;

/** Creates a project with its creator as manager (who may create projects: shared/policy.ts, `projects.create`). */
export async function createProject(s: ServiceDeps, actor: User, input: { name: string; description?: string }): Promise<ProjectSummary> {
  const id = newId() as ProjectId;
  const t = now();
  const description = input.description ?? '';
  await s.data.transaction(async (r) => {
    await r.projects.insert({ id, name: input.name, description, createdAt: t, createdBy: actor.id });
    await r.members.put({ projectId: id, userId: actor.id, role: 'manager', createdAt: t });
    await audit(r, { actorId: actor.id, projectId: id, action: 'project.create', subject: id, details: { name: input.name } });
  });
  return projectView({ id, name: input.name, description, fourEyes: true }, 'manager');
}

/** A project as its member sees it (shared/api/projects.ts `Project`). */
export const projectView = (p: Pick<ProjectRecord, 'id' | 'name' | 'description' | 'fourEyes'>, role: Role): Project => ({
  id: p.id,
  name: p.name,
  description: p.description,
  role,
  fourEyes: p.fourEyes !== false,
});

export async function listProjectsFor(s: ServiceDeps, userId: UserId, limit: number, cursor?: string) {
  const rows = await s.data.projects.listForMember(userId, { limit: limit + 1, after: cursor });
  const items = rows.slice(0, limit).map((p) => projectView(p, p.role));
  return { items, next: rows.length > limit ? items[items.length - 1].name : null };
}

export const getProject = (s: ServiceDeps, projectId: ProjectId) => s.data.projects.byId(projectId);

export const findProjectByName = (s: ServiceDeps, name: string) => s.data.projects.byName(name);

export async function updateProject(s: ServiceDeps, actorId: UserId, projectId: ProjectId, patch: { name?: string; description?: string; fourEyes?: boolean }) {
  return s.data.transaction(async (r) => {
    if (Object.keys(patch).length > 0) {
      await r.projects.update(projectId, patch);
      await audit(r, { actorId, projectId, action: 'project.update', subject: projectId, details: patch });
    }
    return (await r.projects.byId(projectId))!;
  });
}

export const listMembers = (s: ServiceDeps, projectId: ProjectId): Promise<MemberView[]> => s.data.members.list(projectId);

async function assertKeepsAManager(r: Repositories, projectId: ProjectId, leaving: Role, message: string) {
  if (leaving === 'manager' && (await r.members.countWithRole(projectId, 'manager')) === 1) throw conflict(message);
}

/**
 * Whether `actor` may add the account `target` to a project by its username without learning
 * anything new: administrators may add anyone; a manager who is no administrator only accounts
 * already in one of their projects where they can read the member list (docs/design.md, "Adding
 * members").
 */
async function mayAddAccount(r: Repositories, actor: UserRecord | null, target: UserRecord): Promise<boolean> {
  if (!actor) return false;
  if (canAdmin(actor, 'users.addAnywhere')) return true;
  return (await r.members.rolesBeside(actor.id, target.id)).some((role) => can(role, 'members.read'));
}

/**
 * Adds a member or changes their role. A project always keeps at least one manager. For a manager
 * who is no administrator, an account they may not add gets the very answer an unknown username
 * gets, so the route does not tell which accounts exist.
 */
export async function setMember(s: ServiceDeps, actorId: UserId, projectId: ProjectId, username: string, role: Role): Promise<MemberView> {
  const member = await s.data.transaction(async (r) => {
    const user = await r.users.byUsername(username);
    const existing = user ? await r.members.get(projectId, user.id) : null;
    if (!user || (!existing && !(await mayAddAccount(r, await r.users.byId(actorId), user)))) throw unknownAccount(username);
    if (existing && role !== 'manager') await assertKeepsAManager(r, projectId, existing.role, 'a project needs at least one manager: make someone else manager first');
    await r.members.put({ projectId, userId: user.id, role, createdAt: now() });
    await audit(r, { actorId, projectId, action: existing ? 'member.update' : 'member.add', subject: user.id, details: { username, role, previous: existing?.role ?? null } });
    return { userId: user.id, username: user.username, displayName: user.displayName, role };
  });
  s.accessChanged();
  return member;
}

const unknownAccount = (username: string) =>
  new AppError('not_found', `no account "${username}" that you can add: an administrator can add people who are in none of your projects`);

export async function removeMember(s: ServiceDeps, actorId: UserId, projectId: ProjectId, userId: UserId): Promise<void> {
  await s.data.transaction(async (r) => {
    const existing = await r.members.get(projectId, userId);
    if (!existing) throw notFound('member');
    await assertKeepsAManager(r, projectId, existing.role, 'cannot remove the last manager of a project');
    await r.members.remove(projectId, userId);
    await audit(r, { actorId, projectId, action: 'member.remove', subject: userId, details: { role: existing.role } });
  });
  s.accessChanged();
}
