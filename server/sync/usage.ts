// Label-class usage for the classes service: counts shapes and image tags that use a class id
// across a project's `ann:` documents, read from the update logs.
import { eq } from 'drizzle-orm';
import * as Y from 'yjs';
import { readShapes, readTags } from '../../shared/doc/annotations.ts';
import { docName, type ImageId } from '../../shared/ids.ts';
import type { Db } from '../db/open.ts';
import { images } from '../db/schema.ts';
import type { ClassUsage } from '../services/classes.ts';
import { applyLog, sqliteStore, type UpdateStore } from './store.ts';

export function classUsage(db: Db, store: UpdateStore = sqliteStore(db)): ClassUsage {
  return (projectId, classId) => {
    let n = 0;
    const rows = db.select({ id: images.id }).from(images).where(eq(images.projectId, projectId)).all();
    for (const { id } of rows) {
      const updates = store.load(docName('ann', id as ImageId));
      if (updates.length === 0) continue;
      const doc = new Y.Doc();
      applyLog(doc, updates);
      n += readShapes(doc).shapes.filter((s) => s.label === classId).length;
      n += readTags(doc).filter((t) => t === classId).length;
      doc.destroy();
    }
    return n;
  };
}
