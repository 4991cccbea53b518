// The spatial index answers exactly what a scan of every shape answers (random shapes, fixed seed),
// and a sync re-indexes only what changed.
import { describe, expect, it } from 'vitest';
import { bounds } from './geometry.ts';
import { cellFor, ShapeIndex, type Indexed, type Rect } from './shape-index.ts';

const meets = (b: Rect, r: Rect) => b[0] <= r[2] && b[2] >= r[0] && b[1] <= r[3] && b[3] >= r[1];

describe('ShapeIndex', () => {
  it('finds the same shapes as a full scan, in drawing order', () => {
    const seed = 7;
    let state = seed;
    const rnd = () => ((state = (state * 1103515245 + 12345) >>> 0) / 2 ** 32);
    const W = 4000, H = 3000;
    const shapes: Indexed[] = [];
    for (let i = 0; i < 2000; i++) {
      const x = rnd() * W, y = rnd() * H, w = rnd() * (i % 50 === 0 ? 2000 : 80), h = rnd() * 80;
      shapes.push(i % 3 === 0 ? { id: `p${i}`, kind: 'polygon', points: [x, y, x + w, y + h / 2, x + w / 3, y + h] } : i % 7 === 0 ? { id: `o${i}`, kind: 'point', points: [x, y] } : { id: `b${i}`, kind: 'box', points: [x, y, w, h] });
    }
    const index = new ShapeIndex(cellFor(W, H));
    index.sync(shapes);
    for (let q = 0; q < 300; q++) {
      const x = rnd() * W, y = rnd() * H, s = q % 10 === 0 ? 0 : rnd() * 300;
      const r: Rect = [x, y, x + s, y + s];
      const want = shapes.filter((sh) => meets(bounds(sh.kind, sh.points), r)).map((sh) => sh.id);
      expect(index.query(r).map((sh) => sh.id), `seed ${seed}, query ${q}`).toEqual(want);
    }
  });

  it('re-indexes only the shapes whose object changed, and reports bounds before and after', () => {
    const a: Indexed = { id: 'a', kind: 'box', points: [0, 0, 10, 10] };
    const b: Indexed = { id: 'b', kind: 'box', points: [100, 100, 10, 10] };
    const index = new ShapeIndex<Indexed>(32);
    expect(index.sync([a, b]).map((c) => c.id)).toEqual(['a', 'b']);
    expect(index.sync([a, b])).toEqual([]);
    const moved = { ...b, points: [200, 200, 10, 10] };
    const c: Indexed = { id: 'c', kind: 'point', points: [5, 5] };
    expect(index.sync([moved, c])).toEqual([
      { id: 'b', before: [100, 100, 110, 110], after: [200, 200, 210, 210] },
      { id: 'c', after: [5, 5, 5, 5] },
      { id: 'a', before: [0, 0, 10, 10] },
    ]);
    expect(index.query([0, 0, 300, 300]).map((s) => s.id)).toEqual(['b', 'c']);
    expect(index.query([100, 100, 110, 110])).toEqual([]);
    expect(index.order('c')).toBe(1);
    expect(index.size).toBe(2);
  });
});
