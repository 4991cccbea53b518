import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { buildManifest, type ManifestImageInput, type ManifestShape, type Split } from './manifest.ts';
import { releaseReport, ReleaseReportSchema, type RevisionPeople } from './report.ts';

const sha = (s: string) => createHash('sha256').update(s).digest('hex');
const cats = [{ id: 'car', name: 'car' }, { id: 'person', name: 'person' }];
const box = (id: string, label: string, w: number, h: number): ManifestShape => ({ id, kind: 'box', label, points: [0, 0, w, h], attrs: {} });
const poly = (id: string, label: string): ManifestShape => ({ id, kind: 'polygon', label, points: [0, 0, 10, 0, 10, 10], attrs: {} });
const img = (name: string, split: Split, shapes: ManifestShape[], tags: string[] = []): ManifestImageInput => ({
  blob: sha(name), bytes: 1, width: 100, height: 100, fileName: name, split, revision: sha(`rev ${name}`), shapes, tags,
});

describe('release EDA report', () => {
  const m = buildManifest('p', cats, [
    img('a.jpg', 'train', [box('a1', 'car', 10, 10), box('a2', 'car', 40, 20), poly('a3', 'person')]),
    img('b.jpg', 'train', [box('b1', 'person', 100, 50)], ['car']),
    img('c.jpg', 'val', []),
    img('d.jpg', 'test', [box('d1', 'car', 4, 16)]),
  ]);
  const people = new Map<string, RevisionPeople>([
    // a.jpg: provenance names ann1 for two shapes and ann2 for one; approved by rev1.
    [sha('rev a.jpg'), { approvedBy: 'rev1', createdBy: { a1: 'ann1', a2: 'ann1', a3: 'ann2' } }],
    // b.jpg: approved before provenance was kept: its shape is unattributed.
    [sha('rev b.jpg'), { approvedBy: 'rev1' }],
    [sha('rev c.jpg'), { approvedBy: 'rev2', createdBy: {} }],
    [sha('rev d.jpg'), { approvedBy: 'rev2', createdBy: { d1: 'ann2' } }],
  ]);
  const names = [{ userId: 'ann1', username: 'alice' }, { userId: 'ann2', username: 'bob' }, { userId: 'rev1', username: 'rita' }];
  const r = releaseReport('rid', m, people, names);

  it('counts classes, shapes per image and images without shapes over the whole release', () => {
    expect(ReleaseReportSchema.parse(r)).toEqual(r);
    expect(r.all).toMatchObject({ images: 4, shapes: 5, tags: 1, unknownLabels: 0 });
    expect(r.all.classes).toEqual([{ id: 'car', name: 'car', shapes: 3, images: 2 }, { id: 'person', name: 'person', shapes: 2, images: 2 }]);
    expect(r.all.imagesWithoutShapes).toEqual({ count: 1, examples: ['c.jpg'] });
    const perImage = Object.fromEntries(r.all.shapesPerImage.labels.map((l, i) => [l, r.all.shapesPerImage.counts[i]]));
    expect(perImage).toMatchObject({ '0': 1, '1': 2, '3–4': 1 });
  });

  it('bins boxes by size √(w·h) and aspect ratio w/h; polygons are not boxes', () => {
    const bins = (h: { labels: string[]; counts: number[] }) => Object.fromEntries(h.labels.map((l, i) => [l, h.counts[i]]).filter(([, n]) => n));
    // √100 = 10, √800 ≈ 28.3, √5000 ≈ 70.7, √64 = 8
    expect(bins(r.all.boxSize)).toEqual({ '8–16': 2, '16–32': 1, '64–128': 1 });
    // 1, 2, 2, 0.25
    expect(bins(r.all.aspectRatio)).toEqual({ '1–1.33': 1, '2–4': 2, '0.25–0.5': 1 });
  });

  it('credits shapes to annotators from provenance only, and lists approvers', () => {
    expect(r.all.annotators).toEqual([{ userId: 'ann1', username: 'alice', shapes: 2 }, { userId: 'ann2', username: 'bob', shapes: 2 }]);
    expect(r.unattributed).toBe(1);
    // Most images first, then by name; an approver no longer a member shows by id.
    expect(r.approvers).toEqual([{ userId: 'rev2', username: 'rev2', images: 2 }, { userId: 'rev1', username: 'rita', images: 2 }]);
  });

  it('splits the same figures per split', () => {
    expect([r.splits.train.images, r.splits.val.images, r.splits.test.images]).toEqual([2, 1, 1]);
    expect(r.splits.train.shapes + r.splits.val.shapes + r.splits.test.shapes).toBe(r.all.shapes);
    expect(r.splits.test.annotators).toEqual([{ userId: 'ann2', username: 'bob', shapes: 1 }]);
    expect(r.splits.val.imagesWithoutShapes.count).toBe(1);
  });
});
