// Projects, members, label classes and the audit log of a project.
import { Hono } from 'hono';
import { z } from 'zod';
import { forbidden } from '../../shared/errors.ts';
import { ROLES } from '../../shared/roles.ts';
import { APP_SHORTCUT_KEYS, isAppShortcut } from '../../shared/hotkeys.ts';
import { principalOf, requireProject, type AppDeps, type AppEnv } from '../http/context.ts';
import { jsonBody, NoQuery, OffsetPage, pageArray, pageQuery, queryOf } from '../http/validate.ts';
import { listAudit } from '../services/audit.ts';
import { createClass, deleteClass, listClasses, updateClass } from '../services/classes.ts';
import { createProject, getProject, listMembers, listProjectsFor, removeMember, setMember, updateProject } from '../services/projects.ts';

const name = z.string().trim().min(1).max(200);
const NewProject = z.strictObject({ name, description: z.string().max(5000).optional() });
const PatchProject = z.strictObject({ name: name.optional(), description: z.string().max(5000).optional() });
const Member = z.strictObject({ username: z.string().min(1).max(100), role: z.enum(ROLES) });
const MemberRole = z.strictObject({ role: z.enum(ROLES) });
const color = z.string().regex(/^#[0-9a-fA-F]{6}$/, 'use a colour like #1f77b4');
const hotkey = z
  .string()
  .regex(/^[0-9a-z]$/, 'use one digit or lower-case letter')
  .refine((k) => !isAppShortcut(k), { message: `${APP_SHORTCUT_KEYS.join(', ')} are the annotate page's own shortcuts` })
  .nullable();
const NewClass = z.strictObject({ name, color, hotkey: hotkey.optional() });
const PatchClass = z.strictObject({ name: name.optional(), color: color.optional(), hotkey: hotkey.optional(), position: z.number().int().min(0).optional() });
const Page = z.strictObject(pageQuery);

export function projectRoutes(deps: AppDeps) {
  const { db } = deps;
  const app = new Hono<AppEnv>();

  app.get('/projects', (c) => {
    const q = queryOf(c, Page);
    return c.json(listProjectsFor(db, principalOf(c).user.id, q.limit, q.cursor));
  });
  app.post('/projects', async (c) => {
    const p = principalOf(c);
    if (!p.user.isAdmin) throw forbidden('only administrators may create projects');
    return c.json(createProject(db, p.user, await jsonBody(c, NewProject)), 201);
  });
  app.get('/projects/:projectId', requireProject(deps, 'project.read'), (c) => {
    queryOf(c, NoQuery);
    const p = getProject(db, c.get('projectId'))!;
    return c.json({ id: p.id, name: p.name, description: p.description, role: c.get('role') });
  });
  app.patch('/projects/:projectId', requireProject(deps, 'project.update'), async (c) => {
    const p = updateProject(db, principalOf(c).user.id, c.get('projectId'), await jsonBody(c, PatchProject));
    return c.json({ id: p.id, name: p.name, description: p.description, role: c.get('role') });
  });

  app.get('/projects/:projectId/members', requireProject(deps, 'members.read'), (c) =>
    c.json(pageArray(listMembers(db, c.get('projectId')), queryOf(c, OffsetPage))),
  );
  /** Names of the project's people, for every member: comment authors and presence need them. */
  app.get('/projects/:projectId/people', requireProject(deps, 'project.read'), (c) =>
    c.json(pageArray(listMembers(db, c.get('projectId')).map((m) => ({ userId: m.userId, displayName: m.displayName })), queryOf(c, OffsetPage))),
  );
  app.post('/projects/:projectId/members', requireProject(deps, 'members.manage'), async (c) => {
    const body = await jsonBody(c, Member);
    const member = setMember(db, principalOf(c).user.id, c.get('projectId'), body.username, body.role);
    deps.accessChanged();
    return c.json(member, 201);
  });
  app.patch('/projects/:projectId/members/:userId', requireProject(deps, 'members.manage'), async (c) => {
    const body = await jsonBody(c, MemberRole);
    const member = listMembers(db, c.get('projectId')).find((m) => m.userId === c.req.param('userId'));
    if (!member) return c.json({ error: { code: 'not_found', message: 'member not found' } }, 404);
    const updated = setMember(db, principalOf(c).user.id, c.get('projectId'), member.username, body.role);
    deps.accessChanged();
    return c.json(updated);
  });
  app.delete('/projects/:projectId/members/:userId', requireProject(deps, 'members.manage'), (c) => {
    removeMember(db, principalOf(c).user.id, c.get('projectId'), c.req.param('userId'));
    deps.accessChanged();
    return c.json({ ok: true });
  });

  app.get('/projects/:projectId/classes', requireProject(deps, 'classes.read'), (c) =>
    c.json(pageArray(listClasses(db, c.get('projectId')), queryOf(c, OffsetPage))),
  );
  app.post('/projects/:projectId/classes', requireProject(deps, 'classes.manage'), async (c) =>
    c.json(createClass(db, principalOf(c).user.id, c.get('projectId'), await jsonBody(c, NewClass)), 201),
  );
  app.patch('/projects/:projectId/classes/:classId', requireProject(deps, 'classes.manage'), async (c) =>
    c.json(updateClass(db, principalOf(c).user.id, c.get('projectId'), c.req.param('classId'), await jsonBody(c, PatchClass))),
  );
  app.delete('/projects/:projectId/classes/:classId', requireProject(deps, 'classes.manage'), async (c) => {
    await deleteClass(db, principalOf(c).user.id, c.get('projectId'), c.req.param('classId'), deps.classUsage);
    return c.json({ ok: true });
  });

  app.get('/projects/:projectId/audit', requireProject(deps, 'audit.read'), (c) => {
    const q = queryOf(c, z.strictObject({ ...pageQuery, cursor: z.coerce.number().int().positive().optional() }));
    return c.json(listAudit(db, c.get('projectId'), q.limit, q.cursor));
  });

  return app;
}
