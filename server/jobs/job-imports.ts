// What the `import` stage's ctx.services.importFiles does: the REST import's path for a job —
// archives unpacked and annotation files parsed in the import worker thread (the zip reader's
// limits), the job's user's role checked now (not when the run was started) and classes created
// only when that role may manage them.
import type { ImportFormat } from '../../shared/annotation-set.ts';
import { cleanFileName } from '../../shared/names.ts';
import { forbidden } from '../../shared/errors.ts';
import type { ProjectId, UserId } from '../../shared/ids.ts';
import { can } from '../../shared/policy.ts';
import type { StageFile } from '../../shared/stage-services.ts';
import { withImportWorker } from '../imports/offload.ts';
import { isZip } from '../imports/is-zip.ts';
import type { ZipLimits } from '../imports/zip-reader.ts';
import { roleIn } from '../services/access.ts';
import type { ServiceDeps } from '../services/deps.ts';
import { importIntoProject, type ImportReport } from '../services/imports.ts';

export function jobImporter(services: ServiceDeps, limits: ZipLimits) {
  return async (actorId: string, projectId: string, format: ImportFormat, files: StageFile[]): Promise<ImportReport> => {
    const role = await roleIn(services, projectId as ProjectId, actorId as UserId);
    if (!role || !can(role, 'annotations.import')) throw forbidden(`the run's user (${role ?? 'no member'}) may not import into this project`);
    return withImportWorker(async (worker) => {
      const archives = files.filter((f) => isZip(f.bytes));
      const plain = files.filter((f) => !isZip(f.bytes)); // before unzip: it hands the archives' buffers to the worker
      const unpacked = archives.length ? (await worker.unzip(archives, limits)).flat() : [];
      const all = [...plain, ...unpacked].map((f) => ({ name: cleanFileName(f.name), bytes: f.bytes }));
      return importIntoProject(services, actorId as UserId, projectId as ProjectId, { format, files: all, mayCreateClasses: can(role, 'classes.manage') }, (f, fl, o) => worker.parse(f, fl, o));
    });
  };
}
