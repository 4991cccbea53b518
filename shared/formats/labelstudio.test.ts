// Label Studio: the two-annotator fixture (most recent wins unless one is named), percent units,
// rotated rectangles, polygons, keypoints, choices, and malformed input.
import { describe, expect, it } from 'vitest';
import { parseLabelStudio } from './labelstudio.ts';
import { baseName } from './model.ts';
import { fixture } from './testing/test-data.ts';

const text = fixture('08_lsconv_labelstudio_export_2annotators.json');
const parse = (t: string, annotator?: string) => {
  const r = parseLabelStudio(t, 'ls.json', { annotator });
  if (!r.ok) throw new Error(`${r.error.position}: ${r.error.message}`);
  return r.value;
};
const closeTo = (a: number[], b: number[]) => {
  expect(a).toHaveLength(b.length);
  a.forEach((v, i) => expect(v).toBeCloseTo(b[i], 9));
};
const task = (result: unknown[], size = { original_width: 200, original_height: 100 }) =>
  JSON.stringify([{ data: { image: 'img.png' }, annotations: [{ id: 1, result: result.map((r) => ({ ...size, ...(r as object) })) }] }]);

describe('parseLabelStudio on the label-studio-converter fixture', () => {
  it('imports the most recent annotation (id 2, updated 21:05:03 after 21:04:40) of task 1', () => {
    const d = parse(text);
    expect(d.images.map((im) => [baseName(im.fileName), im.width, im.height])).toEqual([['image1', 2800, 2800], ['image2', 2800, 2800]]);
    expect(d.categories.map((c) => c.name)).toEqual(['parasites', 'white']);
    const [a, b] = d.images[0].shapes;
    // percent × 2800 / 100 = percent × 28
    expect(a.label).toBe('parasites');
    closeTo(a.points, [1060.8378870673953, 2009.4717668488158, 107.103825136612, 127.50455373406194]);
    expect(b.label).toBe('white');
    closeTo(b.points, [1377.0491803278687, 647.7231329690346, 147.90528233151184, 112.20400728597448]);
    expect(d.images[1].shapes.map((s) => s.label)).toEqual(['white', 'white']);
    closeTo(d.images[1].shapes[0].points, [550.8196721311475, 1392.3497267759562, 91.80327868852459, 81.60291438979964]);
  });

  it('imports the named annotator instead (completed_by 2: annotation id 1)', () => {
    const d = parse(text, '2');
    closeTo(d.images[0].shapes[0].points, [1040.4371584699454, 1978.870673952641, 117.304189435337, 132.6047358834244]);
    // task 2 has nothing by annotator 2: the image stays, without shapes
    expect(d.images[1].shapes).toEqual([]);
  });
});

describe('Label Studio region types', () => {
  it('a rectangle rotated 90° becomes its four corners', () => {
    // on 200×100: x 10% = 20, y 20% = 20, w 10% = 20, h 5% = 5; turned 90° clockwise about (20, 20)
    const d = parse(task([{ type: 'rectanglelabels', value: { x: 10, y: 20, width: 10, height: 5, rotation: 90, rectanglelabels: ['car'] } }]));
    expect(d.images[0].shapes[0]).toMatchObject({ kind: 'polygon', label: 'car' });
    closeTo(d.images[0].shapes[0].points, [20, 20, 20, 40, 15, 40, 15, 20]);
  });

  it('polygons, keypoints and choices', () => {
    const d = parse(
      task([
        { type: 'polygonlabels', value: { points: [[0, 0], [50, 0], [50, 100]], polygonlabels: ['roof'] } },
        { type: 'keypointlabels', value: { x: 25, y: 50, width: 1, keypointlabels: ['eye'] } },
        { type: 'choices', value: { choices: ['night', 'rain'] } },
        { id: 'r1', type: 'rectangle', value: { x: 0, y: 0, width: 50, height: 50 } },
        { id: 'r1', type: 'labels', value: { x: 0, y: 0, width: 50, height: 50, labels: ['sign'] } },
      ]),
    );
    const im = d.images[0];
    expect(im.shapes).toEqual([
      { kind: 'polygon', label: 'roof', points: [0, 0, 100, 0, 100, 100], attrs: {} },
      { kind: 'point', label: 'eye', points: [50, 50], attrs: {} },
      { kind: 'box', label: 'sign', points: [0, 0, 100, 50], attrs: {} },
    ]);
    expect(im.tags).toEqual(['night', 'rain']);
  });
});

describe('parseLabelStudio rejects malformed input with file and position', () => {
  it('a region without the original size', () => {
    const r = parseLabelStudio(task([{ type: 'rectanglelabels', value: { x: 1, y: 1, width: 1, height: 1, rectanglelabels: ['a'] } }], {} as never), 'ls.json');
    expect(r).toMatchObject({ ok: false, error: { file: 'ls.json', position: '[0].annotations[0].result[0].original_width' } });
  });
  it('a negative width', () => {
    const r = parseLabelStudio(task([{ type: 'rectanglelabels', value: { x: 1, y: 1, width: -1, height: 1, rectanglelabels: ['a'] } }]), 'ls.json');
    expect(r).toMatchObject({ ok: false, error: { position: '[0].annotations[0].result[0].value.width', message: 'negative width -1' } });
  });
  it('truncated JSON', () => {
    const r = parseLabelStudio(text.slice(0, 500), 'ls.json');
    expect(r).toMatchObject({ ok: false, error: { file: 'ls.json', message: expect.stringMatching(/end of input/) } });
  });
});

describe('deeply nested JSON', () => {
  it('is rejected with the file and position, not a stack overflow', () => {
    const r = parseLabelStudio('['.repeat(200000), 'ls.json');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toEqual({ file: 'ls.json', position: 'line 1, column 200001', message: 'invalid JSON: unexpected end of input (truncated file?)' });
  });
});

describe('deeply nested values', () => {
  it('a label nested 200,000 deep is rejected with its position, not a stack overflow', () => {
    const task = { data: { image: 'a.jpg' }, annotations: [{ result: [{ type: 'rectanglelabels', original_width: 10, original_height: 10, value: { x: 0, y: 0, width: 10, height: 10, rectanglelabels: ['X'] } }] }] };
    const text = JSON.stringify([task]).replace('["X"]', `[${'['.repeat(200000)}${']'.repeat(200000)}]`);
    const r = parseLabelStudio(text, 'ls.json');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatchObject({ file: 'ls.json', position: '[0].annotations[0].result[0].value', message: 'no label on this region' });
  });
});
