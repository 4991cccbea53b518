// Counts the shapes and image tags that use a label class, across a project's `ann:` documents.
// Reads every document of the project: fine for the rare class deletion it guards.
import { eq } from 'drizzle-orm';
import { readShapes, readTags } from '../../shared/doc/index.ts';
import type { Db } from '../adapters/sqlite/open.ts';
import { images } from '../adapters/sqlite/schema.ts';
import type { ClassUsage } from './classes.ts';
import type { DocWriter } from './doc-writer.ts';

export function classUsageFromDocs(db: Db, docs: DocWriter): ClassUsage {
  return async (projectId, classId) => {
    let used = 0;
    for (const { id } of db.select({ id: images.id }).from(images).where(eq(images.projectId, projectId)).all()) {
      const doc = await docs.read(`ann:${id}`);
      used += readShapes(doc).shapes.filter((s) => s.label === classId).length;
      used += readTags(doc).filter((t) => t === classId).length;
      doc.destroy();
    }
    return used;
  };
}
