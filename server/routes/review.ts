// Review routes (DESIGN.md "Review (REST)"): submit, approve, request changes, an image's approved
// revisions and history, the review queues and the managers' statistics. Validate, guard, call
// the review services.
import { Hono } from 'hono';
import { z } from 'zod';
import { isSha256, type ImageId, type Sha256 } from '../../shared/ids.ts';
import { notFound } from '../../shared/errors.ts';
import { ApproveBody, RequestChangesBody, SubmitBody } from '../../shared/api/review.ts';
import { principalOf, requireProject, type AppDeps, type AppEnv } from '../http/context.ts';
import { jsonBody, NoQuery, queryOf } from '../http/validate.ts';
import { approveImage, requestChanges, submitImage, type Reviewer } from '../services/review.ts';
import { imageHistory, imageRevision, imageRevisions, myWork, reviewQueue } from '../services/review-read.ts';
import { reviewStats } from '../services/review-stats.ts';
import type { Context } from 'hono';

const IMAGE = '/projects/:projectId/images/:imageId';

/** An empty body is allowed for submit (it takes no fields). */
async function optionalJson<S extends z.ZodType>(c: Context, schema: S): Promise<z.infer<S>> {
  if (!c.req.header('content-type') && (c.req.header('content-length') ?? '0') === '0') return schema.parse({});
  return jsonBody(c, schema);
}

export function reviewRoutes(deps: AppDeps) {
  const s = deps.services;
  const app = new Hono<AppEnv>();
  const who = (c: Context<AppEnv>): Reviewer => ({ userId: principalOf(c).user.id, role: c.get('role') });
  const imageId = (c: Context<AppEnv>) => c.req.param('imageId') as ImageId;

  app.post(`${IMAGE}/submit`, requireProject(deps, 'review.submit'), async (c) => {
    await optionalJson(c, SubmitBody);
    return c.json(await submitImage(s, who(c), c.get('projectId'), imageId(c)));
  });

  app.post(`${IMAGE}/approve`, requireProject(deps, 'review.decide'), async (c) => {
    const body = await jsonBody(c, ApproveBody);
    return c.json(await approveImage(s, who(c), c.get('projectId'), imageId(c), body.seen));
  });

  app.post(`${IMAGE}/request-changes`, requireProject(deps, 'review.decide'), async (c) => {
    const body = await jsonBody(c, RequestChangesBody);
    return c.json(await requestChanges(s, who(c), c.get('projectId'), imageId(c), body));
  });

  app.get(`${IMAGE}/revisions`, requireProject(deps, 'project.read'), async (c) => {
    queryOf(c, NoQuery);
    return c.json(await imageRevisions(s, c.get('projectId'), c.get('role'), principalOf(c).user.id, imageId(c)));
  });

  app.get(`${IMAGE}/revisions/:sha256`, requireProject(deps, 'project.read'), async (c) => {
    queryOf(c, NoQuery);
    const sha = c.req.param('sha256');
    if (!isSha256(sha)) throw notFound(`approved revision "${sha.slice(0, 80)}" (not a SHA-256)`);
    return c.json(await imageRevision(s, c.get('projectId'), c.get('role'), principalOf(c).user.id, imageId(c), sha as Sha256));
  });

  app.get(`${IMAGE}/history`, requireProject(deps, 'project.read'), async (c) => {
    queryOf(c, NoQuery);
    return c.json(await imageHistory(s, c.get('projectId'), c.get('role'), principalOf(c).user.id, imageId(c)));
  });

  app.get('/projects/:projectId/review/queue', requireProject(deps, 'review.decide'), async (c) => {
    queryOf(c, NoQuery);
    return c.json(await reviewQueue(s, c.get('projectId')));
  });

  app.get('/projects/:projectId/review/my-work', requireProject(deps, 'review.submit'), async (c) => {
    queryOf(c, NoQuery);
    return c.json(await myWork(s, c.get('projectId'), principalOf(c).user.id));
  });

  app.get('/projects/:projectId/review/stats', requireProject(deps, 'review.stats'), async (c) => {
    queryOf(c, NoQuery);
    return c.json(await reviewStats(s, c.get('projectId')));
  });

  return app;
}
