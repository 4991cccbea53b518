import { describe, expect, it } from 'vitest';
import { boxFrom, fitView, hits, insertVertex, labelAnchor, moveVertex, nearestEdge, placeInside, removeVertex, resizeBox, translate, zoomAt } from './geometry.ts';

describe('canvas geometry', () => {
  it('spans a box from two corners in any order', () => {
    expect(boxFrom({ x: 10, y: 20 }, { x: 4, y: 2 })).toEqual([4, 2, 6, 18]);
  });

  it('moves shapes but keeps them inside the image', () => {
    expect(translate('box', [10, 10, 20, 20], 5, -3, 100, 100)).toEqual([15, 7, 20, 20]);
    expect(translate('box', [10, 10, 20, 20], 500, -500, 100, 100)).toEqual([80, 0, 20, 20]);
    expect(translate('polygon', [0, 0, 10, 0, 10, 10], -5, 95, 50, 100)).toEqual([0, 90, 10, 90, 10, 100]);
  });

  it('resizes a box from the dragged corner with the opposite corner fixed', () => {
    expect(resizeBox([10, 10, 20, 20], 2, { x: 40, y: 50 })).toEqual([10, 10, 30, 40]);
    expect(resizeBox([10, 10, 20, 20], 0, { x: 35, y: 35 })).toEqual([30, 30, 5, 5]);
  });

  it('moves one polygon vertex', () => {
    expect(moveVertex([0, 0, 10, 0, 10, 10], 1, { x: 12, y: 3 })).toEqual([0, 0, 12, 3, 10, 10]);
  });

  it('fits an image into the viewport, centred', () => {
    const v = fitView(1032, 532, 1000, 500);
    expect(v.s).toBeCloseTo(1);
    expect(v.tx).toBeCloseTo(16);
    expect(v.ty).toBeCloseTo(16);
  });

  it('zooms around the pointer: the image point under it stays put', () => {
    const v = { s: 2, tx: 10, ty: 20 };
    const px = 110;
    const py = 70;
    const before = { x: (px - v.tx) / v.s, y: (py - v.ty) / v.s };
    const z = zoomAt(v, 1.5, px, py);
    expect((px - z.tx) / z.s).toBeCloseTo(before.x);
    expect((py - z.ty) / z.s).toBeCloseTo(before.y);
  });

  it('anchors labels at the top of the shape', () => {
    expect(labelAnchor('box', [3, 4, 5, 6])).toEqual({ x: 3, y: 4 });
    expect(labelAnchor('polygon', [0, 10, 5, 2, 9, 8])).toEqual({ x: 5, y: 2 });
  });
});

describe('hit-testing and vertex edits', () => {
  it('hits boxes, polygon interiors, and lines within the tolerance', () => {
    expect(hits('box', [10, 10, 20, 20], { x: 15, y: 29 }, 1)).toBe(true);
    expect(hits('box', [10, 10, 20, 20], { x: 35, y: 15 }, 1)).toBe(false);
    expect(hits('polygon', [0, 0, 10, 0, 0, 10], { x: 2, y: 2 }, 0)).toBe(true);
    expect(hits('polygon', [0, 0, 10, 0, 0, 10], { x: 8, y: 8 }, 0.5)).toBe(false);
    expect(hits('polyline', [0, 0, 10, 0], { x: 5, y: 1 }, 2)).toBe(true);
    expect(hits('polyline', [0, 0, 10, 0], { x: 5, y: 3 }, 2)).toBe(false);
  });
  it('finds the nearest edge (closing edge only for polygons) and inserts / removes vertices', () => {
    expect(nearestEdge([0, 0, 10, 0, 10, 10], true, { x: 4, y: 5 })).toMatchObject({ index: 2 });
    expect(nearestEdge([0, 0, 10, 0, 10, 10], false, { x: 4, y: 5 })?.index).not.toBe(2);
    expect(insertVertex([0, 0, 10, 0, 10, 10], 0, { x: 5, y: 0 })).toEqual([0, 0, 5, 0, 10, 0, 10, 10]);
    expect(removeVertex('polygon', [0, 0, 10, 0, 10, 10, 0, 10], 1)).toEqual([0, 0, 10, 10, 0, 10]);
    expect(removeVertex('polygon', [0, 0, 10, 0, 10, 10], 1)).toBeNull();
    expect(removeVertex('polyline', [0, 0, 10, 0], 0)).toBeNull();
  });
  it('places a pasted shape inside a smaller image', () => {
    expect(placeInside('box', [90, 90, 40, 40], 100, 100, 10)).toEqual([60, 60, 40, 40]);
    const p = placeInside('polygon', [0, 0, 300, 0, 300, 300], 100, 100);
    expect(Math.max(...p)).toBeLessThanOrEqual(100);
  });
});
