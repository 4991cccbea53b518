// Who is on which image of a project (GET /api/projects/:id/presence), from the sync server's open
// connections; live changes arrive as `presence` events on the project event stream.
import { Hono } from 'hono';
import { requireProject, type AppDeps, type AppEnv } from '../http/context.ts';
import { NoQuery, queryOf } from '../http/validate.ts';

export function presenceRoutes(deps: AppDeps) {
  const app = new Hono<AppEnv>();
  app.get('/projects/:projectId/presence', requireProject(deps, 'images.readAll'), (c) => {
    queryOf(c, NoQuery);
    return c.json({ items: deps.presence?.list(c.get('projectId')) ?? [] });
  });
  return app;
}
