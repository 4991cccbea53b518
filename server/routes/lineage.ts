// The lineage graph (DESIGN.md "Model runs (REST)"): GET /api/projects/:id/lineage?run=ID |
// ?release=REF → {nodes, edges, focus} (and for a run the images behind it). Thin over
// services/lineage.ts.
import { Hono } from 'hono';
import { LineageQuery } from '../../shared/api/lineage.ts';
import { requireProject, type AppDeps, type AppEnv } from '../http/context.ts';
import { queryOf } from '../http/validate.ts';
import { lineage, type LineageDeps } from '../services/lineage.ts';

export function lineageRoutes(deps: AppDeps) {
  const d: LineageDeps = { data: deps.services.data, releases: deps.releases.releases, runs: deps.runs, blobs: deps.releases.blobs };
  const app = new Hono<AppEnv>();
  app.get('/projects/:projectId/lineage', requireProject(deps, 'runs.read'), async (c) => c.json(await lineage(d, c.get('projectId'), queryOf(c, LineageQuery))));
  return app;
}
