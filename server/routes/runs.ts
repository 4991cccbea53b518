// Model runs (DESIGN.md "Model runs (REST)"): record a run against a release, list runs (newest
// first, optionally of one release), one run, and notes added later. Thin: validate, check the
// role, call services/runs.ts.
import { Hono } from 'hono';
import { z } from 'zod';
import { RunBody, RunNoteBody } from '../../shared/api/runs.ts';
import { principalOf, requireProject, type AppDeps, type AppEnv } from '../http/context.ts';
import { jsonBody, NoQuery, pageQuery, queryOf } from '../http/validate.ts';
import { addRunNote, getRun, listRuns, recordRun, type RunDeps } from '../services/runs.ts';

const ListQuery = z.strictObject({ ...pageQuery, release: z.string().min(1).max(80).optional() });

export function runRoutes(deps: AppDeps) {
  const d: RunDeps = { data: deps.services.data, releases: deps.releases.releases, runs: deps.runs, events: deps.services.events };
  const app = new Hono<AppEnv>();
  const base = '/projects/:projectId/runs';

  app.post(base, requireProject(deps, 'runs.record'), async (c) => {
    const body = await jsonBody(c, RunBody);
    return c.json(await recordRun(d, principalOf(c).user.id, c.get('projectId'), body), 201);
  });
  app.get(base, requireProject(deps, 'runs.read'), async (c) => {
    const q = queryOf(c, ListQuery);
    return c.json(await listRuns(d, c.get('projectId'), q));
  });
  app.get(`${base}/:runId`, requireProject(deps, 'runs.read'), async (c) => {
    queryOf(c, NoQuery);
    return c.json(await getRun(d, c.get('projectId'), c.req.param('runId')));
  });
  app.post(`${base}/:runId/notes`, requireProject(deps, 'runs.record'), async (c) => {
    const body = await jsonBody(c, RunNoteBody);
    return c.json(await addRunNote(d, principalOf(c).user.id, c.get('projectId'), c.req.param('runId'), body.text), 201);
  });
  return app;
}
