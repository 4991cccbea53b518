// Counts the shapes and image tags that use a label class, across a project's `ann:` documents.
// Reads every document of the project: fine for the rare class deletion it guards.
import { readShapes, readTags } from '../../shared/doc/index.ts';
import type { DataStore } from '../ports/repositories.ts';
import type { ClassUsage } from './classes.ts';
import type { DocWriter } from './doc-writer.ts';

export function classUsageFromDocs(data: DataStore, docs: DocWriter): ClassUsage {
  return async (projectId, classId) => {
    let used = 0;
    for (const { id } of await data.images.listAll(projectId)) {
      const doc = await docs.read(`ann:${id}`);
      used += readShapes(doc).shapes.filter((s) => s.label === classId).length;
      used += readTags(doc).filter((t) => t === classId).length;
      doc.destroy();
    }
    return used;
  };
}
