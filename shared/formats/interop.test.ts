// COCO, Label Studio and YOLO files as other tools write them: empty optional values (`"bbox": []`,
// `"segmentation": [[]]`, `"attributes": null`), whitespace-only names, Label Studio relations and
// regions with no Tessera shape, a BOM and CRLF in class lists, Ultralytics' data.yaml with its
// comments and an empty `test:`. What must be refused still is.
import { describe, expect, it } from 'vitest';
import { parseCoco } from './coco-parse.ts';
import { parseLabelStudio } from './labelstudio.ts';
import type { FormatResult } from './model.ts';
import { handmade } from './testing/test-data.ts';
import { parseLabelFile, parseYoloClasses } from './yolo-parse.ts';
import { loadYaml } from '../parser-libs.ts';

const yamlLib = await loadYaml();

const unwrap = <T>(r: FormatResult<T>): T => {
  if (!r.ok) throw new Error(`${r.error.position}: ${r.error.message}`);
  return r.value;
};
/** A one-image COCO file (100×50, category 1 "car") with the given annotation fields. */
const coco = (ann: Record<string, unknown>, extra: { category?: unknown; fileName?: unknown } = {}) =>
  JSON.stringify({
    images: [{ id: 1, width: 100, height: 50, file_name: extra.fileName ?? 'a.jpg' }],
    categories: [{ id: 1, name: extra.category ?? 'car', supercategory: '' }],
    annotations: [{ id: 1, image_id: 1, category_id: 1, iscrowd: 0, area: 0, ...ann }],
  });
const cocoShapes = (ann: Record<string, unknown>) => unwrap(parseCoco(coco(ann), 'c.json')).images[0].shapes;
const cocoRejects = (text: string, position: string, message: RegExp) => {
  const r = parseCoco(text, 'c.json');
  expect(r.ok).toBe(false);
  if (!r.ok) expect(r.error).toMatchObject({ position, message: expect.stringMatching(message) });
};

describe('COCO: empty optional values are absent', () => {
  it('"segmentation": [[]] beside a bbox is a box', () => {
    expect(cocoShapes({ bbox: [1, 2, 3, 4], segmentation: [[]] })).toEqual([{ kind: 'box', label: 'car', points: [1, 2, 3, 4], attrs: {} }]);
  });

  it('an empty part among polygons is dropped: one polygon, not a group', () => {
    expect(cocoShapes({ bbox: [0, 0, 10, 10], segmentation: [[], [0, 0, 10, 0, 10, 10]] })).toEqual([
      { kind: 'polygon', label: 'car', points: [0, 0, 10, 0, 10, 10], attrs: {} },
    ]);
  });

  it('"bbox": [] or null beside a polygon, and "attributes": null', () => {
    expect(cocoShapes({ bbox: [], segmentation: [[0, 0, 4, 0, 4, 4]], attributes: null })).toEqual([
      { kind: 'polygon', label: 'car', points: [0, 0, 4, 0, 4, 4], attrs: {} },
    ]);
    expect(cocoShapes({ bbox: null, segmentation: [[0, 0, 4, 0, 4, 4]] })).toHaveLength(1);
  });

  it('still refused: nothing at all, a short polygon, a 3-number bbox, whitespace-only names', () => {
    cocoRejects(coco({ bbox: [], segmentation: [[]] }), 'annotations[0]', /neither a bbox nor a segmentation/);
    cocoRejects(coco({ segmentation: [[], [1, 2]] }), 'annotations[0].segmentation[1]', /at least 6 numbers, got 2/);
    cocoRejects(coco({ bbox: [1, 2, 3] }), 'annotations[0].bbox', /expected \[x, y, width, height\]/);
    cocoRejects(coco({ bbox: [1, 2, 3, 4] }, { category: '  ' }), 'categories[0].name', /non-empty/);
    cocoRejects(coco({ bbox: [1, 2, 3, 4] }, { fileName: ' ' }), 'images[0].file_name', /non-empty/);
  });
});

describe('Label Studio export with a relation and an ellipse', () => {
  const d = unwrap(parseLabelStudio(handmade('labelstudio-relations.json'), 'ls.json'));

  it('reads the rectangles; the relation (which has no value) and the ellipse are skipped and counted', () => {
    // on 800×600: rider x 10% → 80, y 20% → 120, 25% → 200, 50% → 300; bicycle 5, 40, 40, 50 %
    expect(d.images[0]).toMatchObject({ fileName: '/data/upload/3/5e1f0c2a-street_0042.jpg', width: 800, height: 600 });
    expect(d.images[0].shapes).toEqual([
      { kind: 'box', label: 'rider', points: [80, 120, 200, 300], attrs: {} },
      { kind: 'box', label: 'bicycle', points: [40, 240, 320, 300], attrs: {} },
    ]);
    expect(d.warnings).toEqual(['ls.json: 2 results skipped (relation ×1, ellipselabels ×1): Tessera has no shape for them']);
  });

  it('a whitespace-only choice is no tag', () => {
    expect(d.images[0].tags).toEqual(['daytime']);
  });

  it('still refused: a region whose only label is whitespace, a rectangle without a value', () => {
    const task = (result: unknown[]) => JSON.stringify([{ data: { image: 'a.jpg' }, annotations: [{ result }] }]);
    const rect = { type: 'rectanglelabels', original_width: 10, original_height: 10, value: { x: 1, y: 1, width: 1, height: 1, rectanglelabels: [' '] } };
    expect(parseLabelStudio(task([rect]), 'ls.json')).toMatchObject({ ok: false, error: { position: '[0].annotations[0].result[0].value', message: 'no label on this region' } });
    expect(parseLabelStudio(task([{ type: 'rectanglelabels' }]), 'ls.json')).toMatchObject({ ok: false, error: { message: 'expected a result with a value' } });
  });
});

describe('YOLO class lists and label files from other tools', () => {
  it('classes.txt with a BOM, CRLF, padded names and a trailing blank line (Windows Notepad)', () => {
    expect(unwrap(parseYoloClasses({ classesText: handmade('classes-bom-crlf.txt') }, yamlLib))).toEqual(['person', 'bicycle', 'traffic light']);
  });

  it("Ultralytics' data.yaml: comments, path/train/val, an empty test:, a quoted name", () => {
    expect(unwrap(parseYoloClasses({ dataYamlText: handmade('ultralytics-data.yaml') }, yamlLib))).toEqual(['person', 'bicycle', 'traffic light', 'yes']);
    expect(unwrap(parseYoloClasses({ dataYamlText: '\uFEFFnames: [a, b]\n' }, yamlLib))).toEqual(['a', 'b']);
  });

  it('a label file with CRLF, tabs, trailing spaces and blank lines', () => {
    const shapes = unwrap(parseLabelFile(handmade('labels-crlf.txt'), 'l.txt', ['person', 'bicycle', 'traffic light'], 100, 50));
    // person: w = 0.25 × 100 = 25, h = 0.5 × 50 = 25, centre (50, 25) → x 37.5, y 12.5;
    // traffic light: w = 10, h = 10, centre (10, 10) → (5, 5)
    expect(shapes.map((s) => [s.label, s.points])).toEqual([
      ['person', [37.5, 12.5, 25, 25]],
      ['traffic light', [5, 5, 10, 10]],
    ]);
  });

  it('still refused: a blank line inside classes.txt (it would shift the class ids)', () => {
    expect(parseYoloClasses({ classesText: 'a\r\n \r\nb\r\n' }, yamlLib)).toMatchObject({ ok: false, error: { position: 'line 2', message: expect.stringMatching(/empty class name/) } });
  });
});
