// Seeds the bench's database: a project with 20 images for the load run, 20 for the durable run, 1,000 compacted
// documents of 100 shapes (the RSS run) and a 10,000-shape document written one row per shape
// (the cold load). `fetchState` is the whole state of a document as a synced client holds it.
import * as Y from 'yjs';
import { addShape } from '../../shared/doc/annotations.ts';
import { MIGRATIONS, migrateDoc } from '../../shared/doc/migrations.ts';
import type { Db } from '../../server/adapters/sqlite/open.ts';
import { blobs, images } from '../../server/adapters/sqlite/schema.ts';
import { sqliteUpdateStore as sqliteStore } from '../../server/adapters/sqlite/update-store.ts';
import { sha256Hex } from '../../server/services/ids.ts';
import { connectSyncClient } from '../../server/sync/client.ts';
import { seedProject, type SeededProject } from '../../server/testing/fixtures.ts';
import { DURABLE_DOCS, LOAD_DOCS, RSS_DOCS } from './util.ts';

export function seedData(db: Db): { seed: SeededProject; loadImages: string[]; durableDocs: string[] } {
  const seed = seedProject(db);
  const store = sqliteStore(db);
  const loadImages: string[] = [];
  const durableDocs: string[] = [];
  db.$client.transaction(() => {
    for (let d = 0; d < LOAD_DOCS + DURABLE_DOCS; d++) {
      const id = d < LOAD_DOCS ? `benchimg${d}` : `durimg${d - LOAD_DOCS}`;
      const sha = sha256Hex(id);
      db.insert(blobs).values({ sha256: sha, size: 1, mime: 'image/png', createdAt: Date.now() }).run();
      db.insert(images).values({ id, projectId: seed.projectId, sha256: sha, fileName: `${id}.png`, mime: 'image/png', width: 10, height: 10, status: 'new', assigneeId: null, createdAt: Date.now(), createdBy: seed.users.manager.id }).run();
      if (d < LOAD_DOCS) loadImages.push(id);
      else durableDocs.push(`ann:${id}`);
    }
    // 1,000 documents of 100 shapes, one row per shape as editing writes them
    for (let d = 0; d < RSS_DOCS; d++) {
      const doc = new Y.Doc();
      doc.on('update', (u: Uint8Array) => store.append(`ann:rss${d}`, u, seed.users.manager.id));
      for (let i = 0; i < 100; i++) addShape(doc, { id: `s${i}`, kind: 'polygon', label: 'c', points: [i, 0, i + 9, 0, i + 9, 9, i, 9] }, { author: 'u' });
      // as every idle document is once the server unloads it (schema-stamped like a served one)
      migrateDoc(doc, MIGRATIONS.ann);
      store.compact(`ann:rss${d}`);
    }
    // the 10,000-shape document, one row per shape
    const big = new Y.Doc();
    big.on('update', (u: Uint8Array) => store.append(`ann:${seed.images.free}`, u, seed.users.manager.id));
    for (let i = 0; i < 10_000; i++) addShape(big, { id: `b${i}`, kind: 'box', label: 'c', points: [i % 640, (i / 640) | 0, 10, 10], attrs: { n: i } }, { author: 'u' });
  })();
  return { seed, loadImages, durableDocs };
}

/** The full encoded state of a document, as a synced client holds it. */
export async function fetchState(url: string, docName: string, token: string): Promise<Uint8Array> {
  const c = connectSyncClient({ url, docName, token });
  await c.synced(30_000);
  const state = Y.encodeStateAsUpdate(c.doc);
  c.destroy();
  return state;
}
