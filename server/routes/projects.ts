// Projects, members, label classes and the audit log of a project.
import { Hono } from 'hono';
import type { ClassId, UserId } from '../../shared/ids.ts';
import { auditCsvResponse } from '../http/audit-export.ts';
import { principalOf, requireAdmin, requireProject, type AppDeps, type AppEnv } from '../http/context.ts';
import { NoQuery, OffsetPage, PageQuery } from '../../shared/api/common.ts';
import { AuditFilterQuery, AuditPageQuery } from '../../shared/api/audit.ts';
import { MemberRole, NewClass, NewMember, NewProject, PatchClass, PatchProject } from '../../shared/api/projects.ts';
import { jsonBody, pageArray, queryOf } from '../http/validate.ts';
import { auditActions, exportAudit, listAudit } from '../services/audit.ts';
import { createClass, deleteClass, listClasses, updateClass } from '../services/classes.ts';
import { createProject, getProject, listMembers, listProjectsFor, projectView, removeMember, setMember, updateProject } from '../services/projects.ts';

export function projectRoutes(deps: AppDeps) {
  const s = deps.services;
  const app = new Hono<AppEnv>();

  app.get('/projects', async (c) => {
    const q = queryOf(c, PageQuery);
    return c.json(await listProjectsFor(s, principalOf(c).user.id, q.limit, q.cursor));
  });
  app.post('/projects', requireAdmin('projects.create'), async (c) =>
    c.json(await createProject(s, principalOf(c).user, await jsonBody(c, NewProject)), 201),
  );
  app.get('/projects/:projectId', requireProject(deps, 'project.read'), async (c) => {
    queryOf(c, NoQuery);
    const p = (await getProject(s, c.get('projectId')))!;
    return c.json(projectView(p, c.get('role')));
  });
  app.patch('/projects/:projectId', requireProject(deps, 'project.update'), async (c) => {
    const p = await updateProject(s, principalOf(c).user.id, c.get('projectId'), await jsonBody(c, PatchProject));
    return c.json(projectView(p, c.get('role')));
  });

  app.get('/projects/:projectId/members', requireProject(deps, 'members.read'), async (c) =>
    c.json(pageArray(await listMembers(s, c.get('projectId')), queryOf(c, OffsetPage))),
  );
  /** Names of the project's people, for every member: comment authors and presence need them. */
  app.get('/projects/:projectId/people', requireProject(deps, 'project.read'), async (c) =>
    c.json(pageArray((await listMembers(s, c.get('projectId'))).map((m) => ({ userId: m.userId, displayName: m.displayName })), queryOf(c, OffsetPage))),
  );
  app.post('/projects/:projectId/members', requireProject(deps, 'members.manage'), async (c) => {
    const body = await jsonBody(c, NewMember);
    return c.json(await setMember(s, principalOf(c).user.id, c.get('projectId'), body.username, body.role), 201);
  });
  app.patch('/projects/:projectId/members/:userId', requireProject(deps, 'members.manage'), async (c) => {
    const body = await jsonBody(c, MemberRole);
    const member = (await listMembers(s, c.get('projectId'))).find((m) => m.userId === c.req.param('userId'));
    if (!member) return c.json({ error: { code: 'not_found', message: 'member not found' } }, 404);
    return c.json(await setMember(s, principalOf(c).user.id, c.get('projectId'), member.username, body.role));
  });
  app.delete('/projects/:projectId/members/:userId', requireProject(deps, 'members.manage'), async (c) => {
    await removeMember(s, principalOf(c).user.id, c.get('projectId'), c.req.param('userId') as UserId);
    return c.json({ ok: true });
  });

  app.get('/projects/:projectId/classes', requireProject(deps, 'classes.read'), async (c) =>
    c.json(pageArray(await listClasses(s, c.get('projectId')), queryOf(c, OffsetPage))),
  );
  app.post('/projects/:projectId/classes', requireProject(deps, 'classes.manage'), async (c) =>
    c.json(await createClass(s, principalOf(c).user.id, c.get('projectId'), await jsonBody(c, NewClass)), 201),
  );
  app.patch('/projects/:projectId/classes/:classId', requireProject(deps, 'classes.manage'), async (c) =>
    c.json(await updateClass(s, principalOf(c).user.id, c.get('projectId'), c.req.param('classId') as ClassId, await jsonBody(c, PatchClass))),
  );
  app.delete('/projects/:projectId/classes/:classId', requireProject(deps, 'classes.manage'), async (c) => {
    await deleteClass(s, principalOf(c).user.id, c.get('projectId'), c.req.param('classId') as ClassId);
    return c.json({ ok: true });
  });

  // The audit log: filtered pages, the actions it holds (for the filter menu), and CSV export.
  app.get('/projects/:projectId/audit', requireProject(deps, 'audit.read'), async (c) => c.json(await listAudit(s, c.get('projectId'), queryOf(c, AuditPageQuery))));
  app.get('/projects/:projectId/audit/actions', requireProject(deps, 'audit.read'), async (c) => {
    queryOf(c, NoQuery);
    return c.json({ items: await auditActions(s, c.get('projectId')) });
  });
  app.get('/projects/:projectId/audit/export', requireProject(deps, 'audit.read'), async (c) => {
    return auditCsvResponse(c, await exportAudit(s, c.get('projectId'), queryOf(c, AuditFilterQuery)), `audit-${c.get('projectId')}.csv`);
  });

  return app;
}
