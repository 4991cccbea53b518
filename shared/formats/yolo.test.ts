// YOLO: the label-studio-converter fixture read with hand-checked pixels, data.yaml, segmentation
// lines, clamping and empty label files on export, and each malformed case.
import { describe, expect, it } from 'vitest';
import type { Dataset } from './model.ts';
import { fixture } from './testing/test-data.ts';
import { parseYolo, type YoloInput } from './yolo-parse.ts';
import { writeYolo } from './yolo-write.ts';
import { loadYaml } from '../parser-libs.ts';

const yamlLib = await loadYaml();

const classesText = fixture('06_lsconv_yolo_classes.txt');
const img4 = fixture('07_lsconv_yolo_labels_img_4.txt');
// img_4 is 640×494: 0.371875 × 640 = 238 and 0.0708502024291498 × 494 = 35 come out whole.
const input = (labels: Record<string, string>, extra: Partial<YoloInput> = {}): YoloInput => ({
  classesText,
  labelFiles: new Map(Object.entries(labels)),
  images: [{ fileName: 'img_4.jpg', width: 640, height: 494 }, { fileName: 'img_5.png', width: 100, height: 50 }],
  ...extra,
});
const parse = (i: YoloInput) => {
  const r = parseYolo(i, yamlLib);
  if (!r.ok) throw new Error(`${r.error.file} ${r.error.position}: ${r.error.message}`);
  return r.value;
};
const rejects = (i: YoloInput, file: string, position: string, message: RegExp) => {
  const r = parseYolo(i, yamlLib);
  expect(r.ok).toBe(false);
  if (!r.ok) expect(r.error).toMatchObject({ file, position, message: expect.stringMatching(message) });
};
const numbers = (text: string) => text.trim().split('\n').map((l) => l.split(' ').map(Number));

describe('parseYolo on the label-studio-converter fixture', () => {
  const d = parse(input({ img_4: img4 }));

  it('takes class ids from classes.txt line order', () => {
    expect(d.categories.map((c) => c.name)).toEqual(['closed_door', 'opened_door', 'bus', 'number']);
  });

  it('turns cx cy w h into top-left pixel boxes', () => {
    // line 1: cls 3, cx 238, cy 278.5, w 22, h 35 → x = 238 − 11 = 227, y = 278.5 − 17.5 = 261
    // line 2: cls 0, cx 295, cy 384, w 40, h 152 → [275, 308, 40, 152]
    // line 3: cls 0, cx 411, cy 394, w 36, h 142 → [393, 323, 36, 142]
    // line 4: cls 2, cx 330.5, cy 306, w 451, h 324 → [105, 144, 451, 324]
    const expected: [string, number[]][] = [
      ['number', [227, 261, 22, 35]],
      ['closed_door', [275, 308, 40, 152]],
      ['closed_door', [393, 323, 36, 142]],
      ['bus', [105, 144, 451, 324]],
    ];
    const shapes = d.images[0].shapes;
    expect(shapes.map((s) => [s.kind, s.label])).toEqual(expected.map(([l]) => ['box', l]));
    shapes.forEach((s, i) => s.points.forEach((v, k) => expect(v).toBeCloseTo(expected[i][1][k], 9)));
  });

  it('keeps an image without a label file, with no shapes', () => {
    expect(d.images[1]).toMatchObject({ fileName: 'img_5.png', shapes: [] });
  });

  it('round trips YOLO → Tessera → YOLO: same classes, values within 1e-6 px', () => {
    const out = writeYolo(d);
    if (!out.ok) throw new Error(out.error.message);
    // the fixture has CRLF line ends; Tessera writes LF
    expect(out.value.files.get('classes.txt')).toBe(classesText.replace(/\r\n/g, '\n'));
    const a = numbers(img4);
    const b = numbers(out.value.files.get('labels/img_4.txt')!);
    expect(b.map((l) => l[0])).toEqual(a.map((l) => l[0]));
    a.forEach((l, i) => l.slice(1).forEach((v, k) => expect(Math.abs(b[i][k + 1] - v) * 640).toBeLessThan(1e-6)));
    expect(out.value.files.get('labels/img_5.txt')).toBe('');
  });
});

describe('YOLO specifics', () => {
  it('reads data.yaml names as a list or a map', () => {
    const list = parse(input({}, { classesText: undefined, dataYamlText: 'path: .\nnc: 2\nnames: [cat, dog]\n' }));
    expect(list.categories.map((c) => c.name)).toEqual(['cat', 'dog']);
    const map = parse(input({}, { classesText: undefined, dataYamlText: 'names:\n  1: dog\n  0: cat\n' }));
    expect(map.categories.map((c) => c.name)).toEqual(['cat', 'dog']);
  });

  it('reads and writes segmentation lines as polygons', () => {
    const d = parse(input({ img_5: '1 0.1 0.2 0.5 0.2 0.5 0.8\n' }));
    // on 100×50: (10, 10) (50, 10) (50, 40)
    expect(d.images[1].shapes[0]).toMatchObject({ kind: 'polygon', label: 'opened_door' });
    d.images[1].shapes[0].points.forEach((v, k) => expect(v).toBeCloseTo([10, 10, 50, 10, 50, 40][k], 9));
    const out = writeYolo(d, { task: 'segment' });
    expect(out.ok && out.value.files.get('labels/img_5.txt')).toBe('1 0.1 0.2 0.5 0.2 0.5 0.8\n');
  });

  it('clips boxes and polygons into [0, 1] on export, skips what it cannot write', () => {
    const d: Dataset = {
      categories: [{ name: 'a' }],
      images: [
        {
          fileName: 'sub/x.jpg',
          width: 100,
          height: 100,
          shapes: [
            { kind: 'box', label: 'a', points: [-10, -10, 30, 30], attrs: {} }, // → [0, 0, 20, 20]
            { kind: 'box', label: 'a', points: [90, 50, 20, 10], attrs: {} }, // → [90, 50, 10, 10]
            { kind: 'box', label: 'a', points: [200, 200, 5, 5], attrs: {} }, // outside: skipped
            { kind: 'polygon', label: 'a', points: [-5, 10, 50, 120, 50, 50], attrs: {} },
            { kind: 'point', label: 'a', points: [5, 5], attrs: {} },
          ],
        },
        { fileName: 'y.jpg', width: 10, height: 10, shapes: [] },
      ],
    };
    const out = writeYolo(d);
    if (!out.ok) throw new Error(out.error.message);
    // detect: the polygon's bounds x −5..50, y 10..120 clipped to 0..50, 10..100 → cx 0.25, cy 0.55, 0.5 × 0.9
    expect(out.value.files.get('labels/x.txt')).toBe('0 0.1 0.1 0.2 0.2\n0 0.95 0.55 0.1 0.1\n0 0.25 0.55 0.5 0.9\n');
    expect(out.value.files.get('labels/y.txt')).toBe('');
    expect(out.value.warnings).toEqual([
      '1 polygons written as their bounding boxes (detection labels; the segment task keeps polygons)',
      '1 polylines/points skipped: YOLO has no form for them',
      '1 boxes/polygons skipped: empty once clipped to the image (or the image size is unknown)',
    ]);
    const seg = writeYolo(d, { task: 'segment' });
    if (!seg.ok) throw new Error(seg.error.message);
    // segment: (0, 0)–(20, 20) and (90, 50)–(100, 60) as corners clockwise from the top left; polygon points clamped
    expect(seg.value.files.get('labels/x.txt')).toBe('0 0 0 0.2 0 0.2 0.2 0 0.2\n0 0.9 0.5 1 0.5 1 0.6 0.9 0.6\n0 0 0.1 0.5 1 0.5 0.5\n');
    expect(seg.value.warnings[0]).toBe('2 boxes written as 4-corner polygons (segmentation labels)');
  });

  it('refuses to write two images whose label files would collide', () => {
    const d: Dataset = { categories: [], images: ['a/x.jpg', 'b/x.png'].map((fileName) => ({ fileName, width: 1, height: 1, shapes: [] })) };
    const out = writeYolo(d);
    expect(!out.ok && out.error.message).toMatch(/same label file name "x"/);
  });
});

describe('parseYolo rejects malformed input with file and position', () => {
  it('a line with four numbers', () => {
    rejects(input({ img_4: '0 0.5 0.5 0.2 0.2\n1 0.5 0.5 0.2\n' }), 'labels/img_4.txt', 'line 2', /got 3 numbers after the class id/);
  });
  it('a value outside [0, 1]', () => {
    rejects(input({ img_4: '\n0 0.5 1.25 0.2 0.2\n' }), 'labels/img_4.txt', 'line 2, field 3', /outside \[0, 1\]/);
    rejects(input({ img_4: '0 0.5 0.5 -0.2 0.2' }), 'labels/img_4.txt', 'line 1, field 4', /outside/);
  });
  it('a class id not in the class list, or not a number', () => {
    rejects(input({ img_4: '4 0.5 0.5 0.2 0.2' }), 'labels/img_4.txt', 'line 1', /class id "4" is not one of 0..3/);
    rejects(input({ img_4: 'cat 0.5 0.5 0.2 0.2' }), 'labels/img_4.txt', 'line 1', /class id "cat"/);
    rejects(input({ img_4: '0 0.5 abc 0.2 0.2' }), 'labels/img_4.txt', 'line 1, field 3', /not a number/);
  });
  it('a label file without an image', () => {
    rejects(input({ img_9: '0 0.5 0.5 0.2 0.2' }), 'labels/img_9.txt', '', /no image/);
  });
  it('bad class lists', () => {
    rejects(input({}, { classesText: 'a\n\nb\n' }), 'classes.txt', 'line 2', /empty class name/);
    rejects(input({}, { classesText: 'a\na\n' }), 'classes.txt', 'line 2', /duplicate/);
    rejects(input({}, { classesText: undefined, dataYamlText: 'names:\n  0: a\n  2: c\n' }), 'data.yaml', 'names.2', /without gaps/);
    rejects(input({}, { classesText: undefined, dataYamlText: 'nc: 3\nnames: [a, b]\n' }), 'data.yaml', 'nc', /nc is 3/);
    rejects(input({}, { classesText: undefined, dataYamlText: 'names: [a, b\n' }), 'data.yaml', expect.stringMatching(/^line \d+, column \d+$/) as unknown as string, /invalid YAML/);
  });
});

describe('writeYolo: crowd regions', () => {
  it('skips crowd boxes and polygons with a warning; their class stays in classes.txt', () => {
    const d: Dataset = {
      categories: [{ name: 'person' }, { name: 'car' }],
      images: [{
        fileName: 'i.jpg', width: 100, height: 50,
        shapes: [
          { kind: 'box', label: 'person', points: [0, 0, 50, 25], attrs: { iscrowd: 1, rle: { counts: [0, 5000], size: [50, 100] } } },
          { kind: 'polygon', label: 'person', points: [0, 0, 10, 0, 10, 10], attrs: { iscrowd: 1 } },
          { kind: 'box', label: 'car', points: [10, 10, 20, 10], attrs: {} },
        ],
      }],
    };
    const r = writeYolo(d);
    if (!r.ok) throw new Error(r.error.message);
    expect(r.value.files.get('classes.txt')).toBe('person\ncar\n');
    // car [10,10,20,10] → cx 20/100, cy 15/50, 20/100, 10/50
    expect(r.value.files.get('labels/i.txt')).toBe('1 0.2 0.3 0.2 0.2\n');
    expect(r.value.warnings).toEqual(['2 crowd regions skipped: YOLO has no ignore regions, so a crowd would become a training target']);
  });
});
