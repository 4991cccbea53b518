// Annotation imports into a project: multipart (or .zip) of annotation files and images.
import { Hono } from 'hono';
import { ImportFields } from '../../shared/api/images.ts';
import { can } from '../../shared/policy.ts';
import { principalOf, requireProject, type AppDeps, type AppEnv } from '../http/context.ts';
import { multipartFiles } from '../http/multipart.ts';
import { uploadLimit } from '../http/upload-limit.ts';
import { parseWith } from '../http/validate.ts';
import { withImportWorker } from '../imports/offload.ts';
import { importIntoProject } from '../services/imports.ts';

export function importRoutes(deps: AppDeps) {
  const app = new Hono<AppEnv>();
  const { maxImageBytes, maxUploadBytes, maxZipEntries } = deps.config;
  const limits = { maxEntryBytes: maxImageBytes, maxTotalBytes: maxUploadBytes, maxEntries: maxZipEntries };
  app.post('/projects/:projectId/imports', requireProject(deps, 'annotations.import'), uploadLimit(maxUploadBytes), async (c) => {
    // Unzipping and parsing run in a worker thread: the server keeps answering meanwhile.
    const report = await withImportWorker(async (worker) => {
      const { files, fields } = await multipartFiles(c, { unzip: (archives) => worker.unzip(archives, limits) });
      const opts = parseWith(ImportFields, fields, 'form');
      return importIntoProject(deps.services, principalOf(c).user.id, c.get('projectId'), { format: opts.format, annotator: opts.annotator, files, mayCreateClasses: can(c.get('role'), 'classes.manage') }, (format, files, options) =>
        worker.parse(format, files, options),
      );
    });
    return c.json(report);
  });
  return app;
}
