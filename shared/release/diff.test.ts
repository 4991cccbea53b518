import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { buildManifest, type ManifestImageInput, type ManifestShape } from './manifest.ts';
import { diffManifests, isEmptyDiff } from './diff.ts';
import { generatedNotes, releaseCounts } from './notes.ts';

const sha = (s: string) => createHash('sha256').update(s).digest('hex');
const cats = [{ id: 'car', name: 'car' }, { id: 'person', name: 'person' }];
const box = (id: string, label: string, x = 0): ManifestShape => ({ id, kind: 'box', label, points: [x, 0, 10, 10], attrs: {} });
const img = (name: string, shapes: ManifestShape[], tags: string[] = []): ManifestImageInput => ({
  blob: sha(name), bytes: 1, width: 100, height: 100, fileName: name, split: 'train', revision: sha(JSON.stringify(shapes)), shapes, tags,
});

describe('release diff', () => {
  const parent = buildManifest('p', cats, [
    img('a.jpg', [box('a1', 'car'), box('a2', 'car'), box('a3', 'person')]),
    img('b.jpg', [box('b1', 'person')]),
    img('gone.jpg', [box('g1', 'car')]),
  ]);

  it('names exactly the one relabelled shape', () => {
    const child = buildManifest('p', cats, [img('a.jpg', [box('a1', 'car'), box('a2', 'person'), box('a3', 'person')]), img('b.jpg', [box('b1', 'person')]), img('gone.jpg', [box('g1', 'car')])]);
    const d = diffManifests(parent, child);
    expect(d.counts).toEqual({ imagesAdded: 0, imagesRemoved: 0, imagesChanged: 1, shapesAdded: 0, shapesRemoved: 0, shapesMoved: 0, shapesRelabelled: 1, shapesChanged: 0 });
    expect(d.shapes.relabelled).toEqual([{ blob: sha('a.jpg'), fileName: 'a.jpg', shape: 'a2', kind: 'box', label: 'person', from: 'car' }]);
    expect(d.classes).toEqual([{ id: 'car', name: 'car', before: 3, after: 2 }, { id: 'person', name: 'person', before: 2, after: 3 }]);
    const notes = generatedNotes(d, releaseCounts(child), 1);
    expect(notes.join('\n')).toContain('Relabelled box a2 in a.jpg: car → person.');
    expect(notes.join('\n')).toContain('Since @1: 1 image changed.');
  });

  it('finds added, removed, moved and changed shapes and images', () => {
    const child = buildManifest('p', cats, [
      img('a.jpg', [box('a1', 'car', 5), { ...box('a2', 'car'), attrs: { occluded: true } }, box('a4', 'car')]),
      img('b.jpg', [box('b1', 'person')], ['person']),
      img('new.jpg', [box('n1', 'car'), box('n2', 'car')]),
    ]);
    const d = diffManifests(parent, child);
    expect(d.counts).toMatchObject({ imagesAdded: 1, imagesRemoved: 1, imagesChanged: 2, shapesAdded: 3, shapesRemoved: 2, shapesMoved: 1, shapesChanged: 1 });
    expect(d.shapes.moved.map((s) => s.shape)).toEqual(['a1']);
    expect(d.shapes.removed.map((s) => s.shape).sort()).toEqual(['a3', 'g1']);
    expect(d.images.added.map((i) => i.fileName)).toEqual(['new.jpg']);
    expect(d.images.removed.map((i) => i.fileName)).toEqual(['gone.jpg']);
  });

  it('is empty against itself, and everything is added for a first release', () => {
    expect(isEmptyDiff(diffManifests(parent, parent))).toBe(true);
    const first = diffManifests(null, parent);
    expect(first.counts.imagesAdded).toBe(3);
    expect(first.counts.shapesAdded).toBe(5);
    expect(generatedNotes(first, releaseCounts(parent), null)).toContain('First release of the project.');
  });

  it('counts per split and class', () => {
    const c = releaseCounts(parent);
    expect(c).toMatchObject({ images: 3, shapes: 5, tags: 0, splits: { train: { images: 3, shapes: 5 } } });
    expect(c.classes.car.train).toBe(3);
  });
});
