// Images of a project: streamed multipart upload, listing with filters, one image, assignment.
import { Hono } from 'hono';
import type { ImageId, UserId } from '../../shared/ids.ts';
import { principalOf, requireProject, type AppDeps, type AppEnv } from '../http/context.ts';
import { readUpload } from '../http/multipart.ts';
import { uploadLimit } from '../http/upload-limit.ts';
import { NoQuery } from '../../shared/api/common.ts';
import { AssignImages, ImageListQuery } from '../../shared/api/images.ts';
import { jsonBody, queryOf } from '../http/validate.ts';
import { visibleImage, visibleImagesFilter } from '../services/access.ts';
import { assignImages, imageView, listImages } from '../services/images.ts';
import { recordImages, stageImage, type StagedImage } from '../services/uploads.ts';
import { projectProgress } from '../services/progress.ts';

export function imageRoutes(deps: AppDeps) {
  const s = deps.services;
  const app = new Hono<AppEnv>();

  app.get('/projects/:projectId/images', requireProject(deps, 'project.read'), async (c) => {
    const q = queryOf(c, ImageListQuery);
    const assignee = q.assignee === undefined ? undefined : q.assignee === 'none' ? null : (q.assignee as UserId);
    const visible = visibleImagesFilter(c.get('role'), principalOf(c).user.id);
    return c.json(await listImages(s, c.get('projectId'), { status: q.status, assignee, ...visible }, q.limit, q.cursor));
  });

  app.get('/projects/:projectId/progress', requireProject(deps, 'project.read'), async (c) => {
    queryOf(c, NoQuery);
    return c.json(await projectProgress(s, c.get('projectId'), c.get('role'), principalOf(c).user.id));
  });

  app.post('/projects/:projectId/images', requireProject(deps, 'images.upload'), uploadLimit(deps.config.maxUploadBytes), async (c) => {
    // Each image streams into the blob store as it arrives; the rows are written once all are in.
    const staged: StagedImage[] = [];
    await readUpload(c, { take: async (file) => (staged.push(await stageImage(s, file)), true) });
    const r = await recordImages(s, principalOf(c).user.id, c.get('projectId'), staged);
    return c.json({ items: r.items }, r.items.some((i) => i.created) ? 201 : 200);
  });

  app.post('/projects/:projectId/images/assign', requireProject(deps, 'images.assign'), async (c) => {
    const body = await jsonBody(c, AssignImages);
    return c.json({ items: await assignImages(s, principalOf(c).user.id, c.get('projectId'), body.imageIds as ImageId[], body.assignee as UserId | null) });
  });

  app.get('/projects/:projectId/images/:imageId', requireProject(deps, 'project.read'), async (c) => {
    queryOf(c, NoQuery);
    return c.json(imageView(await visibleImage(s, c.get('projectId'), c.get('role'), principalOf(c).user.id, c.req.param('imageId') as ImageId)));
  });

  return app;
}
