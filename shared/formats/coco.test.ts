// COCO: the datumaro fixture read with hand-checked numbers, written back, and each malformed case.
import { describe, expect, it } from 'vitest';
import { parseCoco } from './coco-parse.ts';
import { toCoco, writeCoco } from './coco-write.ts';
import { rleArea } from './geometry.ts';
import { baseName, stem, type Dataset } from './model.ts';
import { fixture } from './testing/test-data.ts';

const FIXTURE = '01_datumaro_coco_instances_val.json';
const text = fixture(FIXTURE);
const parse = (t: string, file = 'in.json') => {
  const r = parseCoco(t, file);
  if (!r.ok) throw new Error(`${r.error.position}: ${r.error.message}`);
  return r.value;
};
const rejects = (json: unknown, position: string, message: RegExp) => {
  const r = parseCoco(typeof json === 'string' ? json : JSON.stringify(json), 'bad.json');
  expect(r.ok).toBe(false);
  if (!r.ok) {
    expect(r.error.file).toBe('bad.json');
    expect(r.error.position).toBe(position);
    expect(r.error.message).toMatch(message);
  }
};
const base = () => JSON.parse(text) as Record<string, any>;

describe('parseCoco on the datumaro fixture', () => {
  const d = parse(text);

  it('maps the sparse category ids 1, 2, 4 by name', () => {
    expect(d.categories.map((c) => [c.id, c.name])).toEqual([[1, 'a'], [2, 'b'], [4, 'c']]);
    expect(d.categories[0].attrs).toEqual({ supercategory: '' });
  });

  it('reads the 5×10 image with its two annotations', () => {
    expect(d.images).toHaveLength(1);
    const im = d.images[0];
    expect([im.fileName, im.width, im.height]).toEqual(['b.jpg', 5, 10]);
    expect(im.attrs?.coco?.id).toBe(40);
    // annotation 1: category 1 = "a", the polygon (0,0) (1,0) (1,2) (0,2) with its custom attributes
    expect(im.shapes[0]).toEqual({ kind: 'polygon', label: 'a', points: [0, 0, 1, 0, 1, 2, 0, 2], attrs: { x: 1, y: 'hello' } });
    // annotation 2: category 2 = "b", crowd: its bbox [0,0,1,9] as the shape, the RLE kept verbatim
    expect(im.shapes[1]).toEqual({
      kind: 'box',
      label: 'b',
      points: [0, 0, 1, 9],
      attrs: { iscrowd: 1, rle: { counts: [0, 20, 30], size: [10, 5] } },
    });
  });

  it('writes it back: ids kept (≥ 1), polygon area 1×2 = 2, RLE unchanged with area 20', () => {
    const out = JSON.parse(writeCoco(d).files.get('annotations.json')!);
    expect(out.categories.map((c: any) => c.id)).toEqual([1, 2, 4]);
    expect(out.images[0]).toMatchObject({ id: 40, file_name: 'b.jpg', width: 5, height: 10, license: 0 });
    expect(out.annotations).toEqual([
      { id: 1, image_id: 40, category_id: 1, segmentation: [[0, 0, 1, 0, 1, 2, 0, 2]], area: 2, bbox: [0, 0, 1, 2], iscrowd: 0, attributes: { x: 1, y: 'hello' } },
      { id: 2, image_id: 40, category_id: 2, segmentation: { counts: [0, 20, 30], size: [10, 5] }, area: 20, bbox: [0, 0, 1, 9], iscrowd: 1 },
    ]);
    expect(out.info).toBeTypeOf('object'); // pycocotools' loadRes reads dataset['info']
  });

  it('round trips COCO → Tessera → COCO unchanged', () => {
    const again = parse(writeCoco(d).files.get('annotations.json')!);
    expect(again).toEqual(d);
  });
});

describe('COCO specifics', () => {
  it('joins a multi-part polygon into one annotation and back, area the sum of the parts', () => {
    const j = base();
    // two squares: 2×2 = 4 and 3×3 = 9
    j.annotations = [{ id: 7, image_id: 40, category_id: 4, segmentation: [[0, 0, 2, 0, 2, 2, 0, 2], [3, 3, 6, 3, 6, 6, 3, 6]], bbox: [0, 0, 6, 6], iscrowd: 0 }];
    const d = parse(JSON.stringify(j));
    expect(d.images[0].shapes.map((s) => [s.kind, s.label, s.attrs.group])).toEqual([['polygon', 'c', 1], ['polygon', 'c', 1]]);
    const out = toCoco(d).coco;
    expect(out.annotations).toHaveLength(1);
    expect(out.annotations[0]).toMatchObject({ id: 1, category_id: 4, area: 13, bbox: [0, 0, 6, 6], segmentation: j.annotations[0].segmentation });
  });

  it('gives category id 0 and missing ids a new id ≥ 1, keeping valid ones', () => {
    const d: Dataset = {
      categories: [{ id: 0, name: 'bg' }, { id: 1, name: 'cat' }, { name: 'dog' }],
      images: [{ fileName: 'x.jpg', width: 10, height: 10, shapes: [{ kind: 'box', label: 'bird', points: [1, 1, 2, 2], attrs: {} }] }],
    };
    const out = toCoco(d).coco;
    expect(out.categories.map((c) => [c.name, c.id])).toEqual([['bg', 2], ['cat', 1], ['dog', 3], ['bird', 4]]);
    expect(out.images[0].id).toBe(1);
    expect(out.annotations[0]).toMatchObject({ id: 1, image_id: 1, category_id: 4, area: 4, segmentation: [] });
  });

  it('keeps file_name prefixes and strips them where a bare name is needed', () => {
    const j = base();
    j.images[0].file_name = 'images/val2017/b.jpg';
    const d = parse(JSON.stringify(j));
    expect(d.images[0].fileName).toBe('images/val2017/b.jpg');
    expect([baseName(d.images[0].fileName), stem(d.images[0].fileName)]).toEqual(['b.jpg', 'b']);
    expect(baseName('C:\\data\\b.jpg')).toBe('b.jpg');
    expect(baseName('/data/local-files/?d=photos/cat%201.png')).toBe('cat 1.png');
    expect(toCoco(d).coco.images[0].file_name).toBe('images/val2017/b.jpg');
  });

  it('keeps background images (no annotations)', () => {
    const j = base();
    j.images.push({ id: 41, width: 8, height: 8, file_name: 'empty.jpg' });
    const d = parse(JSON.stringify(j));
    expect(d.images[1]).toMatchObject({ fileName: 'empty.jpg', shapes: [] });
  });

  it('reads the area of compressed RLE (pycocotools string counts)', () => {
    // [0, 20, 30] encodes as "0d0n0": 0 → '0'; 20 has bit 4 set so → 'd' (20|0x20)+48, '0'; 30 → 'n', '0'
    expect(rleArea('0d0n0')).toBe(20);
    expect(rleArea([0, 20, 30])).toBe(20);
    expect(rleArea([3, -1])).toBeUndefined();
    const j = base();
    j.annotations[1].segmentation = { counts: '0d0n0', size: [10, 5] };
    const d = parse(JSON.stringify(j));
    expect(toCoco(d).coco.annotations[1]).toMatchObject({ area: 20, segmentation: { counts: '0d0n0', size: [10, 5] }, iscrowd: 1 });
  });

  it('keeps unknown annotation fields verbatim', () => {
    const j = base();
    j.annotations[0].score = 0.75;
    const d = parse(JSON.stringify(j));
    expect(toCoco(d).coco.annotations[0].score).toBe(0.75);
  });
});

describe('parseCoco rejects malformed input with file and position', () => {
  it('truncated JSON: the line and column where it ends', () => {
    const cut = text.slice(0, text.indexOf('"annotations"') + 40);
    const lines = cut.split('\n');
    rejects(cut, `line ${lines.length}, column ${lines[lines.length - 1].length + 1}`, /end of input/);
  });
  it('a syntax error mid-file', () => {
    rejects('{\n  "images": [1,,2]\n}', 'line 2, column 16', /invalid JSON/);
  });
  it('an unknown category id', () => {
    const j = base();
    j.annotations[1].category_id = 3;
    rejects(j, 'annotations[1].category_id', /unknown category id 3/);
  });
  it('an unknown image id', () => {
    const j = base();
    j.annotations[0].image_id = 1;
    rejects(j, 'annotations[0].image_id', /unknown image id 1/);
  });
  it('a negative bbox width', () => {
    const j = base();
    j.annotations[1].bbox = [0, 0, -1, 9];
    rejects(j, 'annotations[1].bbox[2]', /negative width/);
  });
  it('a negative image width', () => {
    const j = base();
    j.images[0].width = -5;
    rejects(j, 'images[0].width', /positive/);
  });
  it('a polygon with an odd number of values', () => {
    const j = base();
    j.annotations[0].segmentation = [[0, 0, 1, 0, 1, 2, 0]];
    rejects(j, 'annotations[0].segmentation[0]', /even count/);
  });
  it('RLE runs that do not cover the mask', () => {
    const j = base();
    j.annotations[1].segmentation.counts = [0, 20, 29];
    rejects(j, 'annotations[1].segmentation.counts', /cover 49 pixels/);
  });
  it('duplicate category names, missing sections', () => {
    const j = base();
    j.categories[2].name = 'a';
    rejects(j, 'categories[2].name', /duplicate/);
    rejects({ images: [] }, 'categories', /missing/);
    rejects([], '$', /object/);
  });
});

describe('deeply nested JSON', () => {
  it('an unclosed nesting 200,000 deep is rejected with the file and position, not a stack overflow', () => {
    rejects('['.repeat(200000), 'line 1, column 200001', /unexpected end of input/);
    const text = `{"images": [], "categories": [], "x": ${'{"a":'.repeat(100000)}1${'}'.repeat(99999)}`;
    rejects(text, `line 1, column ${text.length + 1}`, /unexpected end of input/);
  });
  it('valid JSON nested 200,000 deep in a kept value is rejected by path (writers would overflow)', () => {
    const j = base();
    j.annotations[0].attributes = { x: 1 };
    const text = JSON.stringify(j).replace('"x":1', `"x":${'['.repeat(200000)}${']'.repeat(200000)}`);
    rejects(text, 'annotations[0].attributes', /nesting too deep/);
    const j2 = base();
    j2.images[0].meta = 1;
    rejects(JSON.stringify(j2).replace('"meta":1', `"meta":${'{"a":'.repeat(500)}1${'}'.repeat(500)}`), 'images[0]', /nesting too deep/);
    // 100 levels are kept
    j.annotations[0].attributes = { x: JSON.parse(`${'['.repeat(99)}1${']'.repeat(99)}`) };
    expect(toCoco(parse(JSON.stringify(j))).coco.annotations[0].attributes).toEqual(j.annotations[0].attributes);
  });
  it('the error is found past deep nesting that is closed', () => {
    const deep = `${'['.repeat(100000)}${']'.repeat(100000)}`;
    const text = `{"images": [], "x": ${deep}, "categories": [] x}`;
    rejects(text, `line 1, column ${text.lastIndexOf('x') + 1}`, /expected "," or "}"/);
  });
});
