// Administrators' maintenance routes: blob garbage collection.
import { Hono } from 'hono';
import { z } from 'zod';
import { principalOf, requireAdmin, type AppDeps, type AppEnv } from '../http/context.ts';
import { jsonBody } from '../http/validate.ts';
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
  return app;
}
