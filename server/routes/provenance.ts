// Who labelled each shape of an image (GET /api/projects/:id/images/:imageId/provenance): the
// server's record of who sent every update, for anyone who may see the image.
import { Hono } from 'hono';
import type { ImageId } from '../../shared/ids.ts';
import { principalOf, requireProject, type AppDeps, type AppEnv } from '../http/context.ts';
import { NoQuery, queryOf } from '../http/validate.ts';
import { imageProvenance } from '../services/provenance.ts';

export function provenanceRoutes(deps: AppDeps) {
  const app = new Hono<AppEnv>();
  const s = deps.services;
  app.get('/projects/:projectId/images/:imageId/provenance', requireProject(deps, 'project.read'), async (c) => {
    queryOf(c, NoQuery);
    return c.json(await imageProvenance(s, c.get('projectId'), c.get('role'), principalOf(c).user.id, c.req.param('imageId') as ImageId));
  });
  return app;
}
