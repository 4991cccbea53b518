// Multi-part polygons: the merge into one polygon (hand-worked on squares), the closest-vertex
// search against brute force on seeded random parts, and one YOLO line / one VOC object per COCO
// annotation on a hand-made CVAT-style file.
import { describe, expect, it } from 'vitest';
import { parseCoco } from './coco-parse.ts';
import { writeCoco } from './coco-write.ts';
import { closestVertices, mergeParts } from './parts.ts';
import { handmade, rng, testSeed } from './testing/test-data.ts';
import { writeVoc } from './voc-write.ts';
import { writeYolo } from './yolo-write.ts';
import type { FormatResult } from './model.ts';

const unwrap = <T>(r: FormatResult<T>): T => {
  if (!r.ok) throw new Error(`${r.error.position}: ${r.error.message}`);
  return r.value;
};
const square = (x: number, y: number, s = 1) => [x, y, x + s, y, x + s, y + s, x, y + s];

describe('mergeParts', () => {
  it('two parts: each walked round from its link vertex, joined by a bridge walked both ways', () => {
    // A's (1,0) [vertex 1] and B's (3,0) [vertex 0] are closest (A's (1,1)–B's (3,1) ties; the first pair wins).
    expect(mergeParts([square(0, 0), square(3, 0)])).toEqual([1, 0, 1, 1, 0, 1, 0, 0, 1, 0, 3, 0, 4, 0, 4, 1, 3, 1, 3, 0]);
  });

  it('three parts: the middle one from its entry to its exit on the way out, on round to its entry on the way back', () => {
    // A→B at A1 (1,0)–B0 (3,0); B→C at B1 (4,0)–C0 (6,0).
    expect(mergeParts([square(0, 0), square(3, 0), square(6, 0)])).toEqual([
      1, 0, 1, 1, 0, 1, 0, 0, 1, 0, // A round from (1,0)
      3, 0, 4, 0, // B from entry (3,0) to exit (4,0)
      6, 0, 7, 0, 7, 1, 6, 1, 6, 0, // C round from (6,0)
      4, 0, 4, 1, 3, 1, 3, 0, // B on from exit back to entry
    ]);
  });

  it('a middle part whose exit comes before its entry wraps round instead of reversing', () => {
    // B = (4,0) (4,1) (3,1) (3,0): entry from A is B3 (3,0), exit to C is B0 (4,0).
    const b = [4, 0, 4, 1, 3, 1, 3, 0];
    expect(mergeParts([square(0, 0), b, square(6, 0)]).slice(10, 14)).toEqual([3, 0, 4, 0]);
    expect(mergeParts([square(0, 0), b, square(6, 0)]).slice(-8)).toEqual([4, 0, 4, 1, 3, 1, 3, 0]);
  });

  it('one part is returned as it is', () => {
    const p = square(2, 2);
    expect(mergeParts([p])).toBe(p);
  });
});

describe('closestVertices', () => {
  const seed = testSeed(7);
  it(`matches a brute-force search, ties to the first pair (seed ${seed}, 500 pairs)`, () => {
    const next = rng(seed);
    for (let run = 0; run < 500; run++) {
      // Coordinates on a coarse grid so that ties are common.
      const part = () => Array.from({ length: 2 * (3 + Math.floor(next() * 40)) }, () => Math.floor(next() * 12));
      const a = part();
      const b = part();
      let best: [number, number, number] = [Infinity, 0, 0];
      for (let i = 0; i < a.length / 2; i++) {
        for (let j = 0; j < b.length / 2; j++) {
          const d = (a[2 * i] - b[2 * j]) ** 2 + (a[2 * i + 1] - b[2 * j + 1]) ** 2;
          if (d < best[0]) best = [d, i, j];
        }
      }
      try {
        expect(closestVertices(a, b)).toEqual([best[1], best[2]]);
      } catch (e) {
        console.error(`closestVertices differs from brute force on pair ${run}; replay: TESSERA_SEED=${seed}`);
        throw e;
      }
    }
  });
});

describe('a multi-part COCO annotation is one annotation in every output', () => {
  const d = unwrap(parseCoco(handmade('coco-multipart.json'), 'coco-multipart.json'));

  it('YOLO detection: one box around both parts', () => {
    const out = unwrap(writeYolo(d));
    // car parts span x 10..40, y 10..20 on 100×50 → cx 0.25, cy 0.3, w 0.3, h 0.2;
    // person [50, 5, 10, 40] → cx 0.55, cy 0.5, w 0.1, h 0.8
    expect(out.files.get('labels/lot_3.txt')).toBe('0 0.25 0.3 0.3 0.2\n1 0.55 0.5 0.1 0.8\n');
    expect(out.warnings).toEqual(['1 polygons written as their bounding boxes (detection labels; the segment task keeps polygons)']);
  });

  it('YOLO segmentation: one polygon, the parts joined at (20,10)–(30,10); the box as 4 corners', () => {
    const out = unwrap(writeYolo(d, { task: 'segment' }));
    // (20,10) (20,20) (10,20) (10,10) (20,10) (30,10) (40,10) (40,20) (30,20) (30,10), divided by 100 and 50
    expect(out.files.get('labels/lot_3.txt')).toBe(
      '0 0.2 0.2 0.2 0.4 0.1 0.4 0.1 0.2 0.2 0.2 0.3 0.2 0.4 0.2 0.4 0.4 0.3 0.4 0.3 0.2\n' +
        '1 0.5 0.1 0.6 0.1 0.6 0.9 0.5 0.9\n',
    );
    expect(out.warnings).toEqual([
      '1 boxes written as 4-corner polygons (segmentation labels)',
      '1 multi-part polygons merged into one polygon each, the parts joined at their closest points as Ultralytics does',
    ]);
  });

  it('VOC: one object whose box bounds both parts', () => {
    const xml = [...unwrap(writeVoc(d)).files.values()][0];
    expect(xml.match(/<object>/g)).toHaveLength(2);
    // [10, 10, 30, 10] → (11, 11)–(40, 20); person [50, 5, 10, 40] → (51, 6)–(60, 45)
    const bounds = [...xml.matchAll(/<(xmin|ymin|xmax|ymax)>([^<]*)</g)].map((m) => Number(m[2]));
    expect(bounds).toEqual([11, 11, 40, 20, 51, 6, 60, 45]);
    expect(xml).toContain('<name>car</name>\n    <pose>Unspecified</pose>\n    <truncated>0</truncated>\n    <difficult>0</difficult>\n    <occluded>1</occluded>');
  });

  it('COCO: still one annotation with both parts', () => {
    const coco = JSON.parse(writeCoco(d).files.get('annotations.json')!);
    expect(coco.annotations[0]).toMatchObject({ segmentation: [square(10, 10, 10), square(30, 10, 10)], bbox: [10, 10, 30, 10], area: 200 });
    expect(coco.annotations).toHaveLength(2);
  });
});
