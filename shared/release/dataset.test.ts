import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { parseCoco } from '../formats/index.ts';
import { buildManifest } from './manifest.ts';
import { clashingImagePaths, exportAnnotations, imagePath, manifestToDataset } from './dataset.ts';

const sha = (s: string) => createHash('sha256').update(s).digest('hex');
const m = buildManifest('p', [{ id: 'k1', name: 'car' }, { id: 'k2', name: 'person' }], [
  { blob: sha('a'), bytes: 1, width: 64, height: 48, fileName: 'a.jpg', split: 'val', revision: sha('ra'), tags: ['k2'],
    shapes: [{ id: 's1', kind: 'box', label: 'k1', points: [1, 2, 30, 20], attrs: {} }, { id: 's2', kind: 'polygon', label: 'k2', points: [0, 0, 10, 0, 10, 10], attrs: {} }] },
]);

describe('manifest → dataset and exports', () => {
  it('uses class names and keeps splits', () => {
    const d = manifestToDataset(m);
    expect(d.categories.map((c) => c.name)).toEqual(['car', 'person']);
    expect(d.images[0]).toMatchObject({ fileName: 'a.jpg', split: 'val', tags: ['person'] });
    expect(d.images[0].shapes.map((s) => s.label)).toEqual(['car', 'person']);
  });

  it('writes COCO that reads back to the same shapes', () => {
    const out = exportAnnotations(m, 'coco');
    expect(out.ok).toBe(true);
    if (!out.ok) return;
    const back = parseCoco(out.value.files.get('annotations.json')!, 'annotations.json');
    expect(back.ok && back.value.images[0].shapes.map((s) => [s.kind, s.label, s.points])).toEqual([
      ['box', 'car', [1, 2, 30, 20]],
      ['polygon', 'person', [0, 0, 10, 0, 10, 10]],
    ]);
  });

  it('places images by format and finds clashing names', () => {
    expect(imagePath('yolo', m.images[0])).toBe('images/val/a.jpg');
    expect(imagePath('coco', m.images[0])).toBe('images/a.jpg');
    const twice = { ...m, images: [m.images[0], { ...m.images[0], blob: sha('b'), fileName: 'x/a.jpg' }] };
    expect(clashingImagePaths(twice, 'voc')).toEqual(['a.jpg', 'x/a.jpg']);
  });
});
