import { afterEach, describe, expect, it } from 'vitest';
import { relabelShape } from '../../shared/doc/index.ts';
import { parseManifest } from '../../shared/release/index.ts';
import { releaseFixture, type ReleaseFixture } from '../testing/releases.ts';
import { buildCut, cutPreview, cutRelease, readApprovedState, releaseBlobReferences } from './releases.ts';
import { manifestStateKey } from './release-state.ts';
import { updateClass } from './classes.ts';
import { loadManifest, manifestBytesOf, releaseCaches } from './release-manifests.ts';
import { listReleases, recordQa, releaseDetail, resolveRelease, setAlias } from './release-read.ts';
import { releaseExport } from './release-exports.ts';
import { unzipSync } from 'fflate';
import type { ClassId, Sha256 } from '../../shared/ids.ts';

let f: ReleaseFixture;
afterEach(() => f?.cleanup());

async function seeded() {
  f = await releaseFixture(4);
  const [a, b, c] = f.images;
  await f.addShape(a, { id: 'a1', kind: 'box', label: f.classes.car, points: [1, 1, 10, 10] });
  await f.addShape(a, { id: 'a2', kind: 'box', label: f.classes.car, points: [20, 1, 10, 10] });
  await f.addShape(b, { id: 'b1', kind: 'polygon', label: f.classes.person, points: [0, 0, 8, 0, 8, 8] });
  await f.addShape(c, { id: 'c1', kind: 'point', label: f.classes.person, points: [3, 4] });
  for (const id of [a, b, c]) await f.approve(id);
  return f;
}

/** The fixture's deps, recording the image of every approved revision whose bytes are read (decoded). */
function countingDecodes() {
  const decoded: string[] = [];
  const latestApproved = async (p: typeof f.projectId) =>
    (await f.deps.revisions.latestApproved(p)).map((r) => ({
      ...r,
      get update() {
        decoded.push(r.imageId);
        return r.update;
      },
    }));
  return { decoded, counting: { ...f.deps, revisions: { ...f.deps.revisions, latestApproved } } };
}

describe('cutting releases', () => {
  it('cuts from approved revisions only, and the same state twice gives the same id and no new number', async () => {
    await seeded();
    const first = await cutRelease(f.deps, f.manager, f.projectId, { notes: 'first' });
    expect(first.created).toBe(true);
    expect(first.release.number).toBe(1);
    // seedProject's three images have no revision, nor has the fourth of ours.
    expect(first.report).toEqual({ included: 3, unreviewedEdits: 0, noRevision: 4 });
    const m = parseManifest(Buffer.from(await manifestBytesOf(f.deps, first.release.id)).toString());
    expect(m.ok && m.value.images.map((i) => i.fileName).sort()).toEqual(['img-0.png', 'img-1.png', 'img-2.png']);

    const again = await cutRelease(f.deps, f.manager, f.projectId, { notes: 'other notes' });
    expect(again.created).toBe(false);
    expect(again.release.id).toBe(first.release.id);
    expect(again.release.number).toBe(1);
    expect((await listReleases(f.deps, f.projectId, 10)).items).toHaveLength(1);
  });

  it('answers an unchanged state from its key without decoding, with the id a full cut of it gives', async () => {
    await seeded();
    const first = await cutRelease(f.deps, f.manager, f.projectId);
    const { decoded, counting } = countingDecodes();
    const again = await cutRelease(counting, f.manager, f.projectId);
    expect(again).toMatchObject({ created: false, release: { id: first.release.id, number: 1 }, report: first.report });
    expect(decoded, 'revisions decoded by the unchanged cut').toEqual([]);
    // The full cut of the same state against the release as parent gives the release's id …
    const state = await readApprovedState(f.deps, f.projectId);
    const full = await buildCut(f.deps, state, first.release.split, await loadManifest(f.deps, first.release.id));
    expect(full.id).toBe(first.release.id);
    // … and the key read back from the stored manifest (a server restarted: empty caches) is the state's.
    expect(manifestStateKey(full.manifest)).toBe(state.key);
    // After a restart (empty caches) the key stored with the release answers, without loading its manifest …
    const restarted = releaseCaches();
    const cold = await cutRelease({ ...counting, caches: restarted }, f.manager, f.projectId);
    expect(cold.release.id).toBe(first.release.id);
    expect(restarted.manifests.size, 'manifests loaded by the unchanged cut after a restart').toBe(0);
    expect(decoded).toEqual([]);
    // … and a release stored without a key (cut before keys were kept) is answered from its manifest.
    const keyless = releaseCaches();
    const old = await cutRelease({ ...counting, caches: keyless, releases: { ...f.deps.releases, stateKey: async () => null } }, f.manager, f.projectId);
    expect(old).toMatchObject({ created: false, release: { id: first.release.id } });
    expect(keyless.manifests.size).toBe(1);
    expect(decoded).toEqual([]);
    // A change to what the key covers is cut: a renamed class (its revisions still from the parent).
    await updateClass(f.services, f.manager, f.projectId, f.classes.car as ClassId, { name: 'automobile' });
    const renamed = await cutRelease(counting, f.manager, f.projectId);
    expect(renamed).toMatchObject({ created: true, release: { number: 2 } });
    expect((await loadManifest(f.deps, renamed.release.id)).categories.map((c) => c.name)).toEqual(['automobile', 'person']);
    expect(decoded).toEqual([]);
  });

  it('ignores edits made after approval (reported as unreviewed), and an edit during a cut changes nothing', async () => {
    await seeded();
    const [a] = f.images;
    await f.edit(a, (doc) => relabelShape(doc, 'a1', f.classes.person, { author: f.manager }));
    await f.markEdited(a);
    // An annotator keeps editing while the cut runs: each progress report lets an edit in.
    const cut = await cutRelease(f.deps, f.manager, f.projectId, {
      progress: () => void f.addShape(a, { kind: 'box', label: f.classes.car, points: [0, 0, 2, 2] }),
    });
    expect(cut.report.unreviewedEdits).toBe(1);
    const m = parseManifest(Buffer.from(await manifestBytesOf(f.deps, cut.release.id)).toString());
    const img = m.ok ? m.value.images.find((i) => i.fileName === 'img-0.png')! : null;
    expect(img?.shapes.map((s) => [s.id, s.label])).toEqual([['a1', f.classes.car], ['a2', f.classes.car]]);
  });

  it('one relabelled shape approved gives a new id, a new number and a diff naming exactly that shape', async () => {
    await seeded();
    const first = await cutRelease(f.deps, f.manager, f.projectId);
    const [a] = f.images;
    await f.edit(a, (doc) => relabelShape(doc, 'a2', f.classes.person, { author: f.manager }));
    await f.approve(a);
    const { decoded, counting } = countingDecodes();
    const second = await cutRelease(counting, f.manager, f.projectId);
    expect(second.created).toBe(true);
    // Only the changed revision was decoded; the others came from the parent, with the id decoding all gives.
    expect(decoded).toEqual([a]);
    const full = await buildCut(counting, await readApprovedState(counting, f.projectId), first.release.split, await loadManifest(f.deps, first.release.id), { reuseParent: false });
    expect(full.id).toBe(second.release.id);
    expect(decoded).toHaveLength(4);
    expect(second.release.number).toBe(2);
    expect(second.release.id).not.toBe(first.release.id);
    expect(second.release.parentId).toBe(first.release.id);
    expect(second.release.diff.counts).toMatchObject({ imagesChanged: 1, shapesRelabelled: 1, shapesAdded: 0, shapesRemoved: 0, shapesMoved: 0 });
    expect(second.release.diff.shapes.relabelled.map((s) => [s.fileName, s.shape, s.from, s.label])).toEqual([['img-0.png', 'a2', f.classes.car, f.classes.person]]);
    expect(second.release.generatedNotes.join('\n')).toContain('car → person');
    // Splits are kept from the parent.
    const m1 = parseManifest(Buffer.from(await manifestBytesOf(f.deps, first.release.id)).toString());
    const m2 = parseManifest(Buffer.from(await manifestBytesOf(f.deps, second.release.id)).toString());
    expect(m1.ok && m2.ok && m2.value.images.map((i) => i.split)).toEqual(m1.ok && m1.value.images.map((i) => i.split));
  });

  it('refuses a cut with nothing approved, and a bad split, naming the problem', async () => {
    f = await releaseFixture(2);
    await expect(cutRelease(f.deps, f.manager, f.projectId)).rejects.toThrow(/no image of this project has an approved revision/);
    await f.approve(f.images[0]);
    await expect(cutRelease(f.deps, f.manager, f.projectId, { split: { train: 0, val: 0, test: 0 } })).rejects.toThrow(/add up to 0/);
    expect(await cutPreview(f.deps, f.projectId)).toEqual({ images: 5, included: 1, unreviewedEdits: 0, noRevision: 4 });
  });
});

describe('release refs, aliases, QA and exports', () => {
  it('resolves numbers, latest, aliases and ids; moves aliases; records QA (audited)', async () => {
    await seeded();
    const r1 = (await cutRelease(f.deps, f.manager, f.projectId)).release;
    await f.edit(f.images[1], (doc) => relabelShape(doc, 'b1', f.classes.car, { author: f.manager }));
    await f.approve(f.images[1]);
    const r2 = (await cutRelease(f.deps, f.manager, f.projectId)).release;
    expect((await resolveRelease(f.deps, f.projectId, 'latest')).number).toBe(2);
    expect((await resolveRelease(f.deps, f.projectId, '1')).id).toBe(r1.id);
    expect((await resolveRelease(f.deps, f.projectId, r2.id)).number).toBe(2);
    expect((await resolveRelease(f.deps, f.projectId, r2.id.slice(0, 10))).number).toBe(2);
    await expect(resolveRelease(f.deps, f.projectId, '7')).rejects.toThrow(/no release 7/);
    await expect(setAlias(f.deps, f.manager, f.projectId, 'latest', 1)).rejects.toThrow(/moves by itself/);
    await setAlias(f.deps, f.manager, f.projectId, 'prod', 1);
    expect((await resolveRelease(f.deps, f.projectId, 'prod')).number).toBe(1);
    await setAlias(f.deps, f.manager, f.projectId, 'prod', 2);
    expect((await resolveRelease(f.deps, f.projectId, 'prod')).number).toBe(2);
    await expect(recordQa(f.deps, f.seeded.users.qa.id, f.projectId, '1', 'failed', ' ')).rejects.toThrow(/say what failed/);
    await recordQa(f.deps, f.seeded.users.qa.id, f.projectId, '1', 'failed', 'boxes too loose');
    const d = await releaseDetail(f.deps, f.projectId, '1');
    expect(d.qa).toMatchObject({ status: 'failed', notes: 'boxes too loose' });
    const list = await listReleases(f.deps, f.projectId, 10);
    expect(list.items.map((i) => [i.number, i.aliases])).toEqual([[2, ['latest', 'prod']], [1, []]]);
    const audit = t(f).prepare("select action from audit_log where action like 'release.%' order by id").pluck().all();
    expect(audit).toEqual(['release.cut', 'release.cut', 'release.alias', 'release.alias', 'release.qa.failed']);
  });

  it('exports zips derived from the manifest, the same bytes twice, cached as a blob', async () => {
    await seeded();
    await cutRelease(f.deps, f.manager, f.projectId);
    const a = await releaseExport(f.deps, f.projectId, 'p', '1', 'coco');
    const b = await releaseExport(f.deps, f.projectId, 'p', '1', 'coco');
    expect(b.blob).toBe(a.blob);
    expect(a.fileName).toBe('p-1-coco.zip');
    const stream = (await f.deps.blobs.get(a.blob))!;
    const chunks: Uint8Array[] = [];
    for await (const c of stream as unknown as AsyncIterable<Uint8Array>) chunks.push(c);
    const files = unzipSync(Buffer.concat(chunks));
    expect(Object.keys(files)).toEqual(expect.arrayContaining(['annotations.json', 'manifest.json']));
    const coco = JSON.parse(Buffer.from(files['annotations.json']).toString());
    expect(coco.annotations.length).toBeGreaterThanOrEqual(3);
    // Garbage collection keeps the manifest, every image the release lists and the cached export.
    const m = parseManifest(Buffer.from(await manifestBytesOf(f.deps, (await resolveRelease(f.deps, f.projectId, '1')).id)).toString());
    const listed = m.ok ? m.value.images.map((i) => i.blob) : [];
    const id = (await resolveRelease(f.deps, f.projectId, '1')).id;
    const stranger = 'f'.repeat(64);
    const kept = await releaseBlobReferences(f.deps.releases).referencedAmong([id, a.blob, ...listed, stranger] as Sha256[]);
    expect(kept.sort()).toEqual([id, a.blob, ...listed].sort());
    const yolo = unzipSync(await readAll(f, (await releaseExport(f.deps, f.projectId, 'p', '1', 'yolo')).blob));
    expect(Object.keys(yolo)).toContain('classes.txt');
  });
});

const t = (fx: ReleaseFixture) => fx.db.$client;
async function readAll(fx: ReleaseFixture, sha: string) {
  const chunks: Uint8Array[] = [];
  for await (const c of (await fx.deps.blobs.get(sha))! as unknown as AsyncIterable<Uint8Array>) chunks.push(c);
  return Buffer.concat(chunks);
}
