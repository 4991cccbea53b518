import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { buildManifest, type ManifestImageInput, type ManifestShape } from './manifest.ts';
import { checkManifest, gateProblem, problemTotal } from './gate.ts';

const sha = (s: string) => createHash('sha256').update(s).digest('hex');
const cats = [{ id: 'car', name: 'car' }];
const box = (id: string, x: number, y: number, w: number, h: number, label = 'car'): ManifestShape => ({ id, kind: 'box', label, points: [x, y, w, h], attrs: {} });
const img = (name: string, shapes: ManifestShape[], bytes = name): ManifestImageInput => ({
  blob: sha(bytes), bytes: 1, width: 100, height: 80, fileName: name, split: 'train', revision: sha(`r ${bytes}`), shapes, tags: [],
});

describe('release gate checks over a manifest', () => {
  it('passes a clean manifest', () => {
    const r = checkManifest('id', buildManifest('p', cats, [img('a.jpg', [box('a1', 0, 0, 10, 10), box('a2', 50, 50, 50, 30)])]), { iou: 0.95 });
    expect(problemTotal(r)).toBe(0);
    expect([r.images, r.shapes]).toEqual([1, 2]);
  });

  it('finds out-of-bounds, zero-area, unknown labels, duplicates (IoU ≥ threshold) and same-named images', () => {
    const m = buildManifest('p', cats, [
      img('a.jpg', [box('a1', 90, 0, 20, 10), box('a2', 5, 5, 0, 10), box('a3', 0, 0, 10, 10, 'ghost'), box('a4', 30, 30, 20, 20), box('a5', 30, 30, 20, 20.2)]),
      img('a.jpg', [], 'other bytes'),
    ]);
    const r = checkManifest('id', m, { iou: 0.95 });
    expect(r.counts).toEqual({ out_of_bounds: 1, zero_area: 1, unknown_label: 1, duplicate_shape: 1, duplicate_image: 1 });
    expect(r.problems.find((p) => p.kind === 'out_of_bounds')).toMatchObject({ shapeId: 'a1', fileName: 'a.jpg' });
    expect(r.problems.find((p) => p.kind === 'duplicate_shape')).toMatchObject({ shapeId: 'a5' });
    // A looser threshold lets near-twins through.
    expect(checkManifest('id', m, { iou: 0.999 }).counts.duplicate_shape).toBe(0);
  });

  it('names a bad parameter', () => {
    expect(gateProblem({ iou: 0 })).toMatch(/validate.iou/);
    expect(gateProblem({ iou: 0.5 })).toBeNull();
    expect(gateProblem(null)).toMatch(/expected/);
  });
});
