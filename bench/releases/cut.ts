// Cutting a release of 10,000 images with 200,000 shapes (20 per image, 70% boxes, 30% polygons)
// from approved revisions in a temp database, beside the floor of canonical-JSON-encoding and
// hashing the same manifest in the same run; then the same state again (answered with that
// release from its state key), again with empty caches (as after a restart), and after one shape
// of one image was relabelled and approved (the other revisions taken from the parent).
import { createHash } from 'node:crypto';
import * as Y from 'yjs';
import { canonicalJson } from '../../shared/canonical-json.ts';
import { addShape, readShapes, relabelShape } from '../../shared/doc/index.ts';
import type { ImageId, Sha256 } from '../../shared/ids.ts';
import { parseManifest } from '../../shared/release/index.ts';
import { gated } from '../../server/adapters/serial.ts';
import { serialOf } from '../../server/adapters/sqlite/open.ts';
import { sqliteReleases } from '../../server/adapters/sqlite/releases.ts';
import { createClass } from '../../server/services/classes.ts';
import { newId } from '../../server/services/ids.ts';
import { manifestBytesOf } from '../../server/services/release-manifests.ts';
import { cutRelease, type ReleaseDeps } from '../../server/services/releases.ts';
import { releaseCaches } from '../../server/services/release-manifests.ts';
import { testServices } from '../../server/testing/app.ts';
import { seedProject, tempDb, tempDir } from '../../server/testing/fixtures.ts';
import { memoryRevisions } from '../../server/testing/revisions.ts';

export async function benchCut(images = 10_000, perImage = 20) {
  const t = tempDb();
  const blobs = tempDir();
  try {
    const services = testServices(t.db, blobs.dir);
    const s = seedProject(t.db, 'bench');
    const revisions = memoryRevisions();
    const deps: ReleaseDeps = { data: services.data, blobs: services.blobs, releases: gated(serialOf(t.db), sqliteReleases(t.db)), revisions, caches: releaseCaches() };
    const classes: string[] = [];
    for (let i = 0; i < 20; i++) classes.push((await createClass(services, s.users.manager.id, s.projectId, { name: `class_${i}`, color: '#123456' })).id);
    let seed = 12345;
    const next = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 4294967296;
    const t0 = performance.now();
    await services.data.transaction(async (r) => {
      for (let i = 0; i < images; i++) {
        const sha = createHash('sha256').update(`bench image ${i}`).digest('hex') as Sha256;
        await r.blobs.insertIfAbsent({ sha256: sha, size: 100_000 + i, mime: 'image/jpeg', createdAt: 1 });
        const id = newId() as ImageId;
        await r.images.insert({ id, projectId: s.projectId, sha256: sha, fileName: `img_${String(i).padStart(6, '0')}.jpg`, mime: 'image/jpeg', width: 1280, height: 960, orientation: 1, thumbSha256: null, status: 'approved', assigneeId: null, createdAt: 1, createdBy: s.users.manager.id });
        const doc = new Y.Doc();
        for (let k = 0; k < perImage; k++) {
          const x = next() * 1000;
          const y = next() * 700;
          const label = classes[Math.floor(next() * classes.length)];
          if (next() < 0.7) addShape(doc, { id: `s${k}`, kind: 'box', label, points: [x, y, 1 + next() * 200, 1 + next() * 200] }, { author: 'u', now: 1 });
          else addShape(doc, { id: `s${k}`, kind: 'polygon', label, points: Array.from({ length: 16 }, () => next() * 900) }, { author: 'u', now: 1 });
        }
        revisions.set(s.projectId, id, Y.encodeStateAsUpdate(doc));
        doc.destroy();
      }
    });
    const seedMs = performance.now() - t0;

    const c0 = performance.now();
    const cut = await cutRelease(deps, s.users.manager.id, s.projectId);
    const cutMs = performance.now() - c0;
    const r0 = performance.now();
    const again = await cutRelease(deps, s.users.manager.id, s.projectId);
    const recutMs = performance.now() - r0;
    if (again.created || again.release.id !== cut.release.id) throw new Error('the same state cut twice gave another release');
    // The same after a restart: empty caches, so the state key stored with the release answers.
    const k0 = performance.now();
    const cold = await cutRelease({ ...deps, caches: releaseCaches() }, s.users.manager.id, s.projectId);
    const recutColdMs = performance.now() - k0;
    if (cold.created || cold.release.id !== cut.release.id) throw new Error('the same state cut with empty caches gave another release');
    // One image relabelled and approved again: a new release against the first as parent.
    const [rev0] = await revisions.latestApproved(s.projectId);
    const doc0 = new Y.Doc();
    Y.applyUpdate(doc0, rev0.update);
    const shape0 = readShapes(doc0).shapes[0];
    relabelShape(doc0, shape0.id, shape0.label === classes[0] ? classes[1] : classes[0], { author: 'u', now: 2 });
    revisions.set(s.projectId, rev0.imageId, Y.encodeStateAsUpdate(doc0));
    doc0.destroy();
    const o0 = performance.now();
    const one = await cutRelease(deps, s.users.manager.id, s.projectId);
    const oneChangedMs = performance.now() - o0;
    if (!one.created || one.release.diff.counts.shapesRelabelled !== 1) throw new Error(`one relabelled shape: ${JSON.stringify(one.release.diff.counts)}`);

    const bytes = await manifestBytesOf(deps, cut.release.id);
    const parsed = parseManifest(Buffer.from(bytes).toString('utf8'));
    if (!parsed.ok) throw new Error(parsed.error);
    // The floor: encode and hash the same manifest object, best of three.
    const floors: number[] = [];
    for (let i = 0; i < 3; i++) {
      const f0 = performance.now();
      const id = createHash('sha256').update(canonicalJson(parsed.value)).digest('hex');
      floors.push(performance.now() - f0);
      if (id !== cut.release.id) throw new Error('floor hash differs from the release id');
    }
    return { images, shapes: cut.release.counts.shapes, manifestBytes: bytes.byteLength, seedMs, cutMs, recutMs, recutColdMs, oneChangedMs, floorMs: Math.min(...floors) };
  } finally {
    t.cleanup();
    blobs.cleanup();
  }
}
