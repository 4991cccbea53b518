// Test harness for releases: a temp database with a seeded project whose images have real blob
// bytes, label classes, shapes written through the document writer, and approvals kept by a
// RevisionSource that encodes the server's document state at approval (as the review service does).
import { join } from 'node:path';
import * as Y from 'yjs';
import { addShape, type NewShape } from '../../shared/doc/index.ts';
import { docName, type ImageId, type ProjectId, type Sha256, type UserId } from '../../shared/ids.ts';
import { gated } from '../adapters/serial.ts';
import { serialOf } from '../adapters/sqlite/open.ts';
import { sqliteReleases } from '../adapters/sqlite/releases.ts';
import { createClass } from '../services/classes.ts';
import type { ReleaseDeps } from '../services/releases.ts';
import { releaseCaches } from '../services/release-manifests.ts';
import { newId } from '../services/ids.ts';
import { testServices } from './app.ts';
import { tempDb, tempDir, seedProject, type SeededProject } from './fixtures.ts';
import { memoryRevisions } from './revisions.ts';

export { memoryRevisions };

export async function releaseFixture(imageCount = 4) {
  const t = tempDb();
  const blobDir = tempDir();
  const services = testServices(t.db, join(blobDir.dir, 'blobs'));
  const seeded: SeededProject = seedProject(t.db);
  const revisions = memoryRevisions();
  const deps: ReleaseDeps = { data: services.data, blobs: services.blobs, releases: gated(serialOf(t.db), sqliteReleases(t.db)), revisions, caches: releaseCaches() };
  const manager = seeded.users.manager.id;
  const car = await createClass(services, manager, seeded.projectId, { name: 'car', color: '#ff0000' });
  const person = await createClass(services, manager, seeded.projectId, { name: 'person', color: '#00ff00' });
  const images: ImageId[] = [];
  for (let i = 0; i < imageCount; i++) {
    const bytes = new TextEncoder().encode(`image bytes ${i} `.repeat(20 + i));
    const put = await services.blobs.put(bytes);
    const id = newId() as ImageId;
    await services.data.transaction(async (r) => {
      await r.blobs.insertIfAbsent({ sha256: put.sha256, size: put.size, mime: 'image/png', createdAt: 1 });
      await r.images.insert({ id, projectId: seeded.projectId, sha256: put.sha256 as Sha256, fileName: `img-${i}.png`, mime: 'image/png', width: 64, height: 48, orientation: 1, thumbSha256: null, status: 'in_progress', assigneeId: null, createdAt: 1, createdBy: manager });
    });
    images.push(id);
  }
  const f = {
    ...t,
    services,
    seeded,
    deps,
    revisions,
    projectId: seeded.projectId,
    manager,
    classes: { car: car.id as string, person: person.id as string },
    images,
    /** Writes through the document writer, as a live edit would. */
    edit: (imageId: ImageId, fn: (doc: Y.Doc) => void) => services.docs.change(docName('ann', imageId), manager, fn),
    addShape: (imageId: ImageId, shape: NewShape) => f.edit(imageId, (doc) => void addShape(doc, shape, { author: manager })),
    /** Approves the server's current state of the image (status `approved`, revision stored). */
    async approve(imageId: ImageId) {
      const doc = await services.docs.read(docName('ann', imageId));
      const rev = revisions.set(seeded.projectId, imageId, Y.encodeStateAsUpdate(doc));
      doc.destroy();
      const row = (await services.data.images.byId(imageId))!;
      await services.data.images.moveStatus(imageId, row.status, 'approved');
      return rev;
    },
    /** Marks the image edited since approval (what the review service does on an edit). */
    markEdited: async (imageId: ImageId) => void (await services.data.images.moveStatus(imageId, 'approved', 'in_progress')),
    cleanup() {
      t.cleanup();
      blobDir.cleanup();
    },
  };
  return f;
}

export type ReleaseFixture = Awaited<ReturnType<typeof releaseFixture>>;
export const asUser = (id: string) => id as UserId;
