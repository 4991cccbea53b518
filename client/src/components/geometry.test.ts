import { describe, expect, it } from 'vitest';
import { boxFrom, fitView, labelAnchor, moveVertex, resizeBox, translate, zoomAt } from './geometry.ts';

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
