// Administrators' routes: blob garbage collection, and the whole audit log (every project's entries
// and those of no project: sign-ins, accounts, tokens, blob collection), filtered and exported as
// the project audit routes are.
import { Hono } from 'hono';
import { z } from 'zod';
import { auditCsvResponse } from '../http/audit-export.ts';
import { principalOf, requireAdmin, type AppDeps, type AppEnv } from '../http/context.ts';
import { AuditFilterQuery, AuditPageQuery } from '../../shared/api/audit.ts';
import { WHOLE_LOG } from '../ports/audit.ts';
import { jsonBody, NoQuery, queryOf } from '../http/validate.ts';
import { auditActions, exportAudit, listAudit } from '../services/audit.ts';
import { collectBlobGarbage } from '../services/blob-gc.ts';

const Gc = z.strictObject({
  /** Keep blobs stored less than this many hours ago (uploads in flight). */
  graceHours: z.number().min(1).max(24 * 366).optional(),
  dryRun: z.boolean().optional(),
});

export function adminRoutes(deps: AppDeps) {
  const app = new Hono<AppEnv>();
  app.post('/admin/blobs/gc', requireAdmin('blobs.collect'), async (c) => {
    const body = await jsonBody(c, Gc);
    const r = await collectBlobGarbage(deps.services, principalOf(c).user.id, { graceMs: (body.graceHours ?? 24) * 3600 * 1000, dryRun: body.dryRun });
    return c.json(r);
  });
  app.get('/admin/audit', requireAdmin('audit.readAll'), async (c) => c.json(await listAudit(deps.services, WHOLE_LOG, queryOf(c, AuditPageQuery))));
  app.get('/admin/audit/actions', requireAdmin('audit.readAll'), async (c) => {
    queryOf(c, NoQuery);
    return c.json({ items: await auditActions(deps.services, WHOLE_LOG) });
  });
  app.get('/admin/audit/export', requireAdmin('audit.readAll'), async (c) => {
    return auditCsvResponse(c, await exportAudit(deps.services, WHOLE_LOG, queryOf(c, AuditFilterQuery)), 'audit.csv');
  });
  return app;
}
