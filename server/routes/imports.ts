// Annotation imports into a project: multipart (or .zip) of annotation files and images.
import { Hono } from 'hono';
import { ImportFields } from '../../shared/api/images.ts';
import { can } from '../../shared/policy.ts';
import { principalOf, requireProject, type AppDeps, type AppEnv } from '../http/context.ts';
import { readUpload } from '../http/multipart.ts';
import { sniffMime } from '../images/probe.ts';
import { uploadLimit } from '../http/upload-limit.ts';
import { parseWith } from '../http/validate.ts';
import { withImportWorker } from '../imports/offload.ts';
import { importIntoProject } from '../services/imports.ts';
import { stageImage, type StagedImage } from '../services/uploads.ts';

export function importRoutes(deps: AppDeps) {
  const app = new Hono<AppEnv>();
  const { maxImageBytes, maxUploadBytes, maxZipEntries } = deps.config;
  const limits = { maxEntryBytes: maxImageBytes, maxTotalBytes: maxUploadBytes, maxEntries: maxZipEntries };
  app.post('/projects/:projectId/imports', requireProject(deps, 'annotations.import'), uploadLimit(maxUploadBytes), async (c) => {
    // Unzipping and parsing run in a worker thread: the server keeps answering meanwhile.
    const report = await withImportWorker(async (worker) => {
      // Images stream into the blob store as they arrive; annotation files and archives are read whole.
      const staged: StagedImage[] = [];
      const { files, fields } = await readUpload(c, {
        take: async (file, head) => sniffMime(head) !== null && (staged.push(await stageImage(deps.services, file)), true),
        unzip: (archives) => worker.unzip(archives, limits),
        maxBufferedBytes: maxUploadBytes,
      });
      const opts = parseWith(ImportFields, fields, 'form');
      return importIntoProject(deps.services, principalOf(c).user.id, c.get('projectId'), { format: opts.format, annotator: opts.annotator, files, staged, mayCreateClasses: can(c.get('role'), 'classes.manage') }, (format, files, options) =>
        worker.parse(format, files, options),
      );
    });
    return c.json(report);
  });
  return app;
}
