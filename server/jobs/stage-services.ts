// ctx.services for a job: the project's data, acting as the user who started the job, confined to
// the job's project. Reads go through the repositories; assignment and import through the same
// service functions as the REST routes (given by the composition root); document writes through
// `docs` (the live sync core in the server process).
import { deleteShape, moveShape, readShapes, readTags } from '../../shared/doc/index.ts';
import { docName, type ImageId, type ProjectId } from '../../shared/ids.ts';
import type { ImportFormat } from '../../shared/annotation-set.ts';
import type { StageFile, StageImage, StageServices } from '../../shared/stage-services.ts';
import type { Job } from '../ports/job-queue.ts';
import type { Repositories } from '../ports/repositories.ts';
import type { DocWriter } from '../services/doc-writer.ts';

export interface StageServiceDeps {
  repos: Pick<Repositories, 'images' | 'classes' | 'members'>;
  docs: DocWriter;
  assign(actorId: string, projectId: string, imageIds: string[], assigneeId: string | null): Promise<void>;
  importFiles(actorId: string, projectId: string, format: ImportFormat, files: StageFile[]): Promise<unknown>;
}

export function stageServices(d: StageServiceDeps, job: Job): StageServices {
  const actor = job.createdBy ?? 'system';
  const own = (projectId: string) => {
    if (!job.projectId) throw new Error('this job belongs to no project: it cannot reach project data');
    if (projectId !== job.projectId) throw new Error(`this job belongs to project ${job.projectId}, not ${projectId}`);
    return projectId as ProjectId;
  };
  const ownImage = async (imageId: string) => {
    const row = await d.repos.images.byId(imageId as ImageId);
    if (!row) throw new Error(`image ${imageId} not found`);
    own(row.projectId);
    return imageId as ImageId;
  };
  return {
    async images(projectId) {
      const out: StageImage[] = [];
      let after: { fileName: string; id: string } | undefined;
      for (;;) {
        const page = await d.repos.images.list(own(projectId), {}, { limit: 500, after });
        for (const r of page) out.push({ id: r.id, sha256: r.sha256, fileName: r.fileName, width: r.width, height: r.height, status: r.status, assigneeId: r.assigneeId });
        if (page.length < 500) return out;
        after = { fileName: page[page.length - 1].fileName, id: page[page.length - 1].id };
      }
    },
    async classes(projectId) {
      return (await d.repos.classes.list(own(projectId))).map((c) => ({ id: c.id, name: c.name }));
    },
    async members(projectId) {
      return (await d.repos.members.list(own(projectId))).map((m) => ({ userId: m.userId, username: m.username, role: m.role }));
    },
    async annotations(imageId) {
      const doc = await d.docs.read(docName('ann', await ownImage(imageId)));
      try {
        return { shapes: readShapes(doc).shapes, tags: readTags(doc) };
      } finally {
        doc.destroy();
      }
    },
    async editAnnotations(imageId, edit) {
      return d.docs.change(docName('ann', await ownImage(imageId)), actor, (doc) => {
        for (const [id, points] of Object.entries(edit.move ?? {})) moveShape(doc, id, points, { author: actor });
        for (const id of edit.remove ?? []) deleteShape(doc, id);
      });
    },
    assign: (projectId, imageIds, assigneeId) => d.assign(actor, own(projectId), imageIds, assigneeId),
    importFiles: (projectId, format, files) => d.importFiles(actor, own(projectId), format, files),
  };
}
