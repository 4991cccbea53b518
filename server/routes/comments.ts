// Unread comment routes (issue 11): the member's unread counts per image, and marking one image's
// comments as read. Validate, guard, call services/comment-index.ts.
import { Hono } from 'hono';
import type { ImageId } from '../../shared/ids.ts';
import { principalOf, requireProject, type AppDeps, type AppEnv } from '../http/context.ts';
import { NoQuery, queryOf } from '../http/validate.ts';
import { markCommentsRead, unreadCounts } from '../services/comment-index.ts';

export function commentRoutes(deps: AppDeps) {
  const s = deps.services;
  const app = new Hono<AppEnv>();

  app.get('/projects/:projectId/comments/unread', requireProject(deps, 'project.read'), async (c) => {
    queryOf(c, NoQuery);
    return c.json(await unreadCounts(s, c.get('projectId'), c.get('role'), principalOf(c).user.id));
  });

  app.post('/projects/:projectId/images/:imageId/comments/read', requireProject(deps, 'project.read'), async (c) => {
    queryOf(c, NoQuery);
    await markCommentsRead(s, c.get('projectId'), c.get('role'), principalOf(c).user.id, c.req.param('imageId') as ImageId);
    return c.body(null, 204);
  });

  return app;
}
