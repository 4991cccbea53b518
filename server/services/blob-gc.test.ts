// Blob garbage collection on real files (the filesystem blob store) and a real SQLite database:
// old blobs nothing refers to go, images, thumbnails and other registered holders keep theirs,
// young blobs (an upload in flight) stay, storing old bytes again rescues them, and a dry run
// deletes nothing. Each run is audited.
import { existsSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Sha256 } from '../../shared/ids.ts';
import { openDb, type Db } from '../adapters/sqlite/open.ts';
import { testServices } from '../testing/app.ts';
import { seedProject, tempDir, type TempDir } from '../testing/fixtures.ts';
import { collectBlobGarbage, GC_DEFAULT_GRACE_MS } from './blob-gc.ts';
import type { ServiceDeps } from './deps.ts';
import { uploadImages } from './uploads.ts';

const HOUR = 3600 * 1000;
let t: TempDir;
let db: Db;
let s: ServiceDeps;
let blobRoot: string;
let seed: ReturnType<typeof seedProject>;

beforeEach(() => {
  t = tempDir();
  db = openDb({ file: join(t.dir, 'tessera.db') });
  blobRoot = join(t.dir, 'blobs');
  s = testServices(db, blobRoot);
  seed = seedProject(db);
});
afterEach(() => {
  db.$client.close();
  t.cleanup();
});

const fileOf = (sha: string) => join(blobRoot, sha.slice(0, 2), sha);
/** Makes a stored blob look `hours` old, as if a crash had left it behind that long ago. */
const age = (sha: string, hours: number) => {
  const at = new Date(Date.now() - hours * HOUR);
  utimesSync(fileOf(sha), at, at);
};
const png = (color: string) => sharp({ create: { width: 8, height: 6, channels: 3, background: color } }).png().toBuffer();
const bytes = (text: string) => new TextEncoder().encode(text);
const gcRows = () => db.$client.prepare("select actor_id, details from audit_log where action = 'blob.gc' order by id").all() as { actor_id: string | null; details: string }[];

describe('blob garbage collection', () => {
  it('deletes old unreferenced blobs and their metadata, keeps images and thumbnails, and is audited', async () => {
    const up = await uploadImages(s, seed.users.manager.id, seed.projectId, [{ name: 'a.png', bytes: await png('#ff0000') }]);
    const image = up.items[0];
    const row = db.$client.prepare('select sha256, thumb_sha256 from images where id = ?').get(image.id) as { sha256: string; thumb_sha256: string };
    // Orphans: a blob a crashed upload stored, and a thumbnail whose image row never came.
    const orphan = await s.blobs.put(bytes('left behind by a crash'));
    const thumbOrphan = (await uploadImages(s, seed.users.manager.id, seed.projectId, [{ name: 'b.png', bytes: await png('#00ff00') }])).items[0];
    const orphanThumb = (db.$client.prepare('select thumb_sha256 from images where id = ?').pluck().get(thumbOrphan.id)) as string;
    db.$client.prepare('delete from images where id = ?').run(thumbOrphan.id);
    for (const sha of [row.sha256, row.thumb_sha256, orphan.sha256, orphanThumb, thumbOrphan.sha256]) age(sha, 48);

    const report = await collectBlobGarbage(s, seed.users.manager.id, { graceMs: GC_DEFAULT_GRACE_MS });
    expect(report.deleted.map((d) => d.sha256).sort()).toEqual([orphan.sha256, orphanThumb, thumbOrphan.sha256].sort());
    expect(report.kept).toEqual({ images: 2 });
    expect(report.bytes).toBe(report.deleted.reduce((n, d) => n + d.size, 0));
    for (const sha of [orphan.sha256, orphanThumb, thumbOrphan.sha256]) expect(existsSync(fileOf(sha))).toBe(false);
    for (const sha of [row.sha256, row.thumb_sha256]) expect(existsSync(fileOf(sha))).toBe(true);
    const meta = db.$client.prepare('select sha256 from blobs').pluck().all() as string[];
    expect(meta).not.toContain(thumbOrphan.sha256);
    expect(meta).not.toContain(orphanThumb);
    expect(meta).toEqual(expect.arrayContaining([row.sha256, row.thumb_sha256]));
    // The image is still served whole.
    expect(await s.blobs.stat(row.sha256)).toEqual({ size: (await png('#ff0000')).byteLength });

    const [entry] = gcRows();
    expect(entry.actor_id).toBe(seed.users.manager.id);
    expect(JSON.parse(entry.details)).toMatchObject({ dryRun: false, deleted: 3, kept: { images: 2 }, scanned: 5 });
    // A second run finds nothing more to do.
    expect((await collectBlobGarbage(s, null, { graceMs: GC_DEFAULT_GRACE_MS })).deleted).toEqual([]);
  });

  it('keeps blobs younger than the grace period: an upload whose rows are not written yet', async () => {
    const inFlight = await s.blobs.put(bytes('stored, the image row comes next'));
    const old = await s.blobs.put(bytes('old orphan'));
    age(old.sha256, 2);
    const report = await collectBlobGarbage(s, null, { graceMs: HOUR });
    expect(report).toMatchObject({ scanned: 2, young: 1 });
    expect(report.deleted.map((d) => d.sha256)).toEqual([old.sha256]);
    expect(existsSync(fileOf(inFlight.sha256))).toBe(true);
  });

  it('rescues an old orphan that is uploaded again: storing the same bytes refreshes its time', async () => {
    const again = await s.blobs.put(bytes('orphaned, then uploaded again'));
    age(again.sha256, 48);
    expect(await s.blobs.put(bytes('orphaned, then uploaded again'))).toMatchObject({ created: false });
    expect((await collectBlobGarbage(s, null, { graceMs: HOUR })).deleted).toEqual([]);
    expect(existsSync(fileOf(again.sha256))).toBe(true);
  });

  it('asks every registered reference source, and keeps what any of them names', async () => {
    const held = await s.blobs.put(bytes('a release manifest refers to this'));
    const loose = await s.blobs.put(bytes('nobody refers to this'));
    age(held.sha256, 48);
    age(loose.sha256, 48);
    const asked: Sha256[][] = [];
    s = { ...s, blobReferences: () => [{ name: 'releases', referencedAmong: async (c) => (asked.push([...c]), c.filter((x) => x === held.sha256)) }] };
    const report = await collectBlobGarbage(s, null, { graceMs: HOUR });
    expect(asked.flat().sort()).toEqual([held.sha256, loose.sha256].sort());
    expect(report.kept).toEqual({ images: 0, releases: 1 });
    expect(report.deleted.map((d) => d.sha256)).toEqual([loose.sha256]);
    expect(existsSync(fileOf(held.sha256))).toBe(true);
  });

  it('deletes nothing in a dry run and reports what it would delete', async () => {
    const loose = await s.blobs.put(bytes('would go'));
    age(loose.sha256, 48);
    const report = await collectBlobGarbage(s, null, { graceMs: HOUR, dryRun: true });
    expect(report).toMatchObject({ dryRun: true, deleted: [{ sha256: loose.sha256, size: 8 }], bytes: 8 });
    expect(existsSync(fileOf(loose.sha256))).toBe(true);
    expect(JSON.parse(gcRows()[0].details)).toMatchObject({ dryRun: true, deleted: 1 });
  });
});

