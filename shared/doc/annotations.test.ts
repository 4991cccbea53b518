import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  addShape, byCreation, deleteShape, moveShape, observeShapes, readShape, readShapes, readTags, relabelShape, setTags, updateShape,
} from './annotations.ts';
import { ROOT, SHAPE } from './schema.ts';

const meta = { author: 'u1', now: 1000 };

function sync(a: Y.Doc, b: Y.Doc) {
  Y.applyUpdate(b, Y.encodeStateAsUpdate(a, Y.encodeStateVector(b)));
  Y.applyUpdate(a, Y.encodeStateAsUpdate(b, Y.encodeStateVector(a)));
}

describe('annotation accessors', () => {
  it('adds, moves, relabels, updates attrs and deletes shapes', () => {
    const doc = new Y.Doc();
    const id = addShape(doc, { kind: 'box', label: 'c1', points: [10, 20, 30, 40], attrs: { occluded: true } }, meta);
    expect(readShape(doc, id)).toEqual({
      id, kind: 'box', label: 'c1', points: [10, 20, 30, 40], attrs: { occluded: true }, author: 'u1', updatedAt: 1000, createdAt: 1000,
    });
    expect(moveShape(doc, id, [1, 2, 3, 4], { author: 'u2', now: 2000 })).toBe(true);
    expect(relabelShape(doc, id, 'c2', { author: 'u2', now: 3000 })).toBe(true);
    expect(updateShape(doc, id, { attrs: { occluded: undefined, note: 'x' } }, meta)).toBe(true);
    const s = readShape(doc, id)!;
    expect(s).toMatchObject({ points: [1, 2, 3, 4], label: 'c2', attrs: { note: 'x' }, author: 'u1' });
    expect(deleteShape(doc, id)).toBe(true);
    expect(deleteShape(doc, id)).toBe(false);
    expect(moveShape(doc, id, [0, 0, 1, 1], meta)).toBe(false);
    expect(readShapes(doc)).toEqual({ shapes: [], problems: [] });
  });

  it('numbers shapes by creation time then id, the same on every peer', () => {
    const a = new Y.Doc();
    const b = new Y.Doc();
    addShape(a, { id: 'z', kind: 'point', label: 'c', points: [1, 1] }, { author: 'u1', now: 10 });
    addShape(b, { id: 'y', kind: 'point', label: 'c', points: [2, 2] }, { author: 'u2', now: 20 });
    addShape(b, { id: 'a', kind: 'point', label: 'c', points: [3, 3] }, { author: 'u2', now: 20 });
    sync(a, b);
    moveShape(a, 'z', [5, 5], { author: 'u1', now: 99 });
    expect(byCreation(readShapes(a).shapes).map((s) => s.id)).toEqual(['z', 'a', 'y']);
    expect(byCreation(readShapes(b).shapes).map((s) => s.id)).toEqual(['z', 'a', 'y']);
  });

  it('keeps the order shapes were added in when many are added within one millisecond (no clock given)', () => {
    const doc = new Y.Doc();
    // Ids that sort against the order they are added in: only the creation times can keep it.
    const ids = Array.from({ length: 200 }, (_, i) => `id-${String(999 - i).padStart(3, '0')}`);
    const t0 = Date.now();
    for (const id of ids) addShape(doc, { id, kind: 'point', label: 'c', points: [1, 1] }, { author: 'u1' });
    const shapes = byCreation(readShapes(doc).shapes);
    expect(shapes.map((s) => s.id)).toEqual(ids);
    expect(shapes[0].createdAt).toBeGreaterThanOrEqual(t0);
    for (const s of shapes) expect(s.updatedAt).toBe(s.createdAt);
    // A second document has its own clock: its shape is not pushed after the first one's burst.
    const other = new Y.Doc();
    addShape(other, { id: 'x', kind: 'point', label: 'c', points: [1, 1] }, { author: 'u1' });
    expect(readShape(other, 'x')!.createdAt).toBeLessThanOrEqual(Date.now());
  });

  it('normalises boxes with negative size and rejects invalid writer input', () => {
    const doc = new Y.Doc();
    const id = addShape(doc, { kind: 'box', label: 'c', points: [10, 10, -5, -5] }, meta);
    expect(readShape(doc, id)!.points).toEqual([5, 5, 5, 5]);
    expect(() => addShape(doc, { kind: 'polygon', label: 'c', points: [0, 0, 1, 1] }, meta)).toThrow(/3 points/);
    expect(() => addShape(doc, { kind: 'point', label: 'c', points: [0, NaN] }, meta)).toThrow(/finite/);
    expect(() => addShape(doc, { kind: 'box', label: '', points: [0, 0, 1, 1] }, meta)).toThrow(/label/);
    expect(() => addShape(doc, { kind: 'circle' as never, label: 'c', points: [0, 0] }, meta)).toThrow(/kind/);
    expect(() => moveShape(doc, id, [1, 2, 3], meta)).toThrow(/4 numbers/);
    expect(readShapes(doc).shapes).toHaveLength(1);
  });

  it('sets tags to exactly the given class ids', () => {
    const doc = new Y.Doc();
    setTags(doc, ['b', 'a']);
    expect(readTags(doc)).toEqual(['a', 'b']);
    setTags(doc, ['c', 'a']);
    expect(readTags(doc)).toEqual(['a', 'c']);
  });

  it('merges concurrent edits of different attributes and fields of one shape', () => {
    const a = new Y.Doc();
    const b = new Y.Doc();
    const id = addShape(a, { kind: 'polygon', label: 'c', points: [0, 0, 10, 0, 10, 10] }, meta);
    sync(a, b);
    updateShape(a, id, { attrs: { x: 1 } }, meta);
    updateShape(b, id, { attrs: { y: 2 } }, meta);
    relabelShape(a, id, 'd', meta);
    moveShape(b, id, [1, 1, 11, 1, 11, 11], meta);
    sync(a, b);
    expect(readShapes(a)).toEqual(readShapes(b));
    expect(readShape(a, id)).toMatchObject({ label: 'd', points: [1, 1, 11, 1, 11, 11], attrs: { x: 1, y: 2 } });
  });

  it('reports bad entries written by a misbehaving peer and skips them without throwing', () => {
    const doc = new Y.Doc();
    const shapes = doc.getMap<unknown>(ROOT.shapes);
    const good = addShape(doc, { id: 'good', kind: 'point', label: 'c', points: [1, 2] }, meta);
    const raw = (fields: Record<string, unknown>) => {
      const m = new Y.Map<unknown>();
      for (const [k, v] of Object.entries(fields)) m.set(k, v);
      return m;
    };
    shapes.set('kind', raw({ [SHAPE.kind]: 'circle', [SHAPE.label]: 'c', [SHAPE.points]: [0, 0] }));
    shapes.set('nan', raw({ [SHAPE.kind]: 'box', [SHAPE.label]: 'c', [SHAPE.points]: [0, NaN, 1, 1] }));
    shapes.set('inf', raw({ [SHAPE.kind]: 'point', [SHAPE.label]: 'c', [SHAPE.points]: [Infinity, 0] }));
    shapes.set('nolabel', raw({ [SHAPE.kind]: 'point', [SHAPE.points]: [0, 0] }));
    shapes.set('poly2', raw({ [SHAPE.kind]: 'polygon', [SHAPE.label]: 'c', [SHAPE.points]: [0, 0, 1, 1] }));
    shapes.set('strpts', raw({ [SHAPE.kind]: 'point', [SHAPE.label]: 'c', [SHAPE.points]: ['1', 2] }));
    shapes.set('nopts', raw({ [SHAPE.kind]: 'point', [SHAPE.label]: 'c' }));
    shapes.set('number', 42);
    shapes.set('nullish', null);
    shapes.set('text', new Y.Text('x'));
    shapes.set('plain', { [SHAPE.kind]: 'point', [SHAPE.label]: 'c', [SHAPE.points]: [3, 4], [SHAPE.attrs]: 'junk' });
    const { shapes: ok, problems } = readShapes(doc);
    expect(ok.map((s) => s.id)).toEqual([good, 'plain']);
    expect(ok[1].attrs).toEqual({});
    expect(Object.fromEntries(problems.map((p) => [p.path, p.code]))).toEqual({
      'shapes/kind': 'unknown_kind',
      'shapes/nan': 'bad_points',
      'shapes/inf': 'bad_points',
      'shapes/nolabel': 'missing_label',
      'shapes/poly2': 'bad_points',
      'shapes/strpts': 'bad_points',
      'shapes/nopts': 'bad_points',
      'shapes/number': 'not_a_map',
      'shapes/nullish': 'not_a_map',
      'shapes/text': 'not_a_map',
    });
    // Writers refuse to touch an unreadable entry instead of throwing.
    expect(moveShape(doc, 'kind', [0, 0], meta)).toBe(false);
  });

  it('survives an update round trip with NaN coordinates from a peer', () => {
    const a = new Y.Doc();
    const m = new Y.Map<unknown>();
    a.getMap(ROOT.shapes).set('x', m);
    m.set(SHAPE.kind, 'box');
    m.set(SHAPE.label, 'c');
    m.set(SHAPE.points, [NaN, 0, 1, 1]);
    const b = new Y.Doc();
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
    expect(readShapes(b).problems.map((p) => p.code)).toEqual(['bad_points']);
  });

  it('observes changed shape ids, local and remote', () => {
    const a = new Y.Doc();
    const b = new Y.Doc();
    const seen: Array<[string[], boolean]> = [];
    const off = observeShapes(b, (c) => seen.push([[...c.ids].sort(), c.local]));
    const id = addShape(b, { id: 's1', kind: 'point', label: 'c', points: [0, 0] }, meta);
    sync(b, a);
    moveShape(a, id, [5, 5], meta);
    updateShape(a, id, { attrs: { k: 1 } }, meta);
    sync(a, b);
    off();
    deleteShape(b, id);
    expect(seen).toEqual([
      [['s1'], true],
      [['s1'], false],
    ]);
  });
});
