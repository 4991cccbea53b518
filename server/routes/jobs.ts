// Stages, pipeline runs and jobs (DESIGN.md "Jobs (REST)").
import { Hono } from 'hono';
import { z } from 'zod';
import { AppError } from '../../shared/errors.ts';
import { principalOf, requireProject, requireUser, type AppDeps, type AppEnv } from '../http/context.ts';
import { NoQuery, pageQuery, queryOf } from '../http/validate.ts';
import { jobsService, pipelineFromText, stageInfos } from '../services/jobs.ts';

const MAX_PIPELINE_BYTES = 256 * 1024;
const Page = z.strictObject(pageQuery);
const JobQuery = z.strictObject({ after: z.coerce.number().int().min(0).optional() });

export function jobRoutes(deps: AppDeps) {
  const app = new Hono<AppEnv>();
  const svc = jobsService(deps.jobs, deps.services.data);

  app.get('/stages', requireUser, (c) => {
    queryOf(c, NoQuery);
    const items = stageInfos(deps.jobs);
    return c.json({ items, next: null });
  });

  app.post('/projects/:projectId/pipeline-runs', requireProject(deps, 'pipelines.run'), async (c) => {
    const type = (c.req.header('content-type') ?? '').split(';')[0].trim().toLowerCase();
    if (!['application/json', 'text/yaml', 'application/yaml', 'application/x-yaml', 'text/x-yaml'].includes(type)) {
      throw new AppError('unsupported_media_type', `send the pipeline as application/json or text/yaml${type ? `, not ${type}` : ''}`);
    }
    const text = await c.req.text();
    if (Buffer.byteLength(text) > MAX_PIPELINE_BYTES) throw new AppError('payload_too_large', `a pipeline file may be at most ${MAX_PIPELINE_BYTES} bytes`);
    let pipeline: unknown;
    if (type === 'application/json') {
      try {
        pipeline = JSON.parse(text);
      } catch (e) {
        throw new AppError('bad_request', `pipeline is not valid JSON: ${(e as Error).message}`);
      }
    } else pipeline = await pipelineFromText(text);
    return c.json(await svc.startRun(principalOf(c).user.id, c.get('projectId'), pipeline), 201);
  });
  app.get('/projects/:projectId/pipeline-runs', requireProject(deps, 'pipelines.read'), async (c) => {
    const q = queryOf(c, Page);
    return c.json(await svc.listRuns(c.get('projectId'), q.limit, q.cursor));
  });
  app.get('/projects/:projectId/pipeline-runs/:runId', requireProject(deps, 'pipelines.read'), async (c) => {
    queryOf(c, NoQuery);
    return c.json(await svc.getRun(c.get('projectId'), c.req.param('runId')));
  });
  app.post('/projects/:projectId/pipeline-runs/:runId/cancel', requireProject(deps, 'pipelines.run'), async (c) =>
    c.json(await svc.cancelRun(principalOf(c).user.id, c.get('projectId'), c.req.param('runId'))),
  );
  app.get('/projects/:projectId/jobs/:jobId', requireProject(deps, 'pipelines.read'), async (c) => {
    const q = queryOf(c, JobQuery);
    return c.json(await svc.getJob(c.get('projectId'), c.req.param('jobId'), q.after));
  });
  app.post('/projects/:projectId/jobs/:jobId/cancel', requireProject(deps, 'pipelines.run'), async (c) =>
    c.json(await svc.cancelJob(principalOf(c).user.id, c.get('projectId'), c.req.param('jobId'))),
  );
  app.post('/projects/:projectId/jobs/:jobId/retry', requireProject(deps, 'pipelines.run'), async (c) =>
    c.json(await svc.retryJob(principalOf(c).user.id, c.get('projectId'), c.req.param('jobId'))),
  );

  return app;
}
