// Pascal VOC: the datumaro fixture read with hand-checked bounds, the devkit off-by-one, fields
// written back, integer round trips, and each malformed case.
import { describe, expect, it } from 'vitest';
import type { Dataset } from './model.ts';
import { fixture } from './testing/test-data.ts';
import { parseVoc } from './voc-parse.ts';
import { writeVoc } from './voc-write.ts';
import { loadXml } from '../parser-libs.ts';

const xmlLib = await loadXml();

const xml = fixture('04_datumaro_voc_2007_000001.xml');
const parse = (t: string) => {
  const r = parseVoc(t, 'a.xml', xmlLib);
  if (!r.ok) throw new Error(`${r.error.position}: ${r.error.message}`);
  return r.value;
};
const write = (d: Dataset) => {
  const r = writeVoc(d);
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
};
const rejects = (t: string, position: string, message: RegExp) => {
  const r = parseVoc(t, 'bad.xml', xmlLib);
  expect(r.ok).toBe(false);
  if (!r.ok) expect(r.error).toMatchObject({ file: 'bad.xml', position, message: expect.stringMatching(message) });
};
const vocBox = (x: [number, number, number, number], extra = '') =>
  `<annotation><filename>i.jpg</filename><size><width>100</width><height>50</height></size><object><name>a</name>${extra}<bndbox><xmin>${x[0]}</xmin><ymin>${x[1]}</ymin><xmax>${x[2]}</xmax><ymax>${x[3]}</ymax></bndbox></object></annotation>`;

describe('parseVoc on the datumaro fixture', () => {
  const d = parse(xml);
  const [cat, person] = d.images[0].shapes;

  it('reads the image and its classes in order of first use', () => {
    expect(d.images[0]).toMatchObject({ fileName: '2007_000001.jpg', width: 20, height: 10 });
    expect(d.categories.map((c) => c.name)).toEqual(['cat', 'person']);
  });

  it('shifts the 1-based inclusive bounds: (1,2)–(3,4) covers 3×3 pixels from (0,1)', () => {
    expect(cat).toEqual({ kind: 'box', label: 'cat', points: [0, 1, 3, 3], attrs: { pose: 'Unspecified', truncated: true, difficult: false } });
    // (4,5)–(6,7) → x = 3, y = 4, w = h = 6 − 4 + 1 = 3
    expect(person.points).toEqual([3, 4, 3, 3]);
  });

  it('keeps parts (floats accepted) and actions', () => {
    // head (5.5,6)–(7.5,8) → x = 4.5, y = 5, w = 7.5 − 5.5 + 1 = 3, h = 3
    expect(person.attrs.parts).toEqual([{ name: 'head', box: [4.5, 5, 3, 3] }]);
    expect(person.attrs.actions).toEqual({
      other: 1, jumping: 0, phoning: 1, playinginstrument: 0, reading: 1, ridingbike: 0,
      ridinghorse: 1, running: 0, takingphoto: 1, usingcomputer: 0, walking: 1,
    });
    expect(d.images[0].attrs?.voc).toMatchObject({ folder: 'VOC2007', segmented: '1', depth: '3' });
  });

  it('writes the same bounds, parts and fields back; a second round trip is identical', () => {
    const out = write(d);
    const file = out.files.get('Annotations/2007_000001.xml')!;
    expect(file).toContain('<xmin>1</xmin>\n      <ymin>2</ymin>\n      <xmax>3</xmax>\n      <ymax>4</ymax>');
    expect(file).toContain('<part>\n      <name>head</name>\n      <bndbox>\n        <xmin>5.5</xmin>');
    expect(file).toContain('<truncated>1</truncated>');
    expect(file).toContain('<folder>VOC2007</folder>');
    expect(file).toContain('<segmented>1</segmented>');
    const again = parse(file);
    expect(again.images[0].shapes.map((s) => s.points)).toEqual([[0, 1, 3, 3], [3, 4, 3, 3]]);
    expect(again.images[0].shapes[1].attrs).toMatchObject({ parts: person.attrs.parts, actions: person.attrs.actions });
    expect(write(again).files.get('Annotations/2007_000001.xml')).toBe(file);
  });
});

describe('VOC specifics', () => {
  it('VOC (1, 1, 10, 20) is COCO [0, 0, 10, 20]', () => {
    expect(parse(vocBox([1, 1, 10, 20])).images[0].shapes[0].points).toEqual([0, 0, 10, 20]);
    // a single-pixel box: xmin = xmax
    expect(parse(vocBox([5, 5, 5, 5])).images[0].shapes[0].points).toEqual([4, 4, 1, 1]);
  });

  it('keeps <attribute>s named like VOC fields apart from the fields, and writes flags only from flag values', () => {
    const d = parse(
      vocBox([1, 1, 10, 20], '<pose>Left</pose><difficult>0</difficult><attributes><attribute><name>difficult</name><value>no</value></attribute><attribute><name>pose</name><value>front-ish</value></attribute></attributes>'),
    );
    expect(d.images[0].shapes[0].attrs).toMatchObject({ pose: 'Left', difficult: false, 'user:difficult': 'no', 'user:pose': 'front-ish' });
    const out = [...write(d).files.values()][0];
    expect(out).toContain('<pose>Left</pose>');
    expect(out).toContain('<difficult>0</difficult>');
    // (the writer always writes <truncated>, as the devkit expects)
    expect(parse(out).images[0].shapes[0].attrs).toEqual({ ...d.images[0].shapes[0].attrs, truncated: false });
    // A non-flag value under a flag's name (e.g. a COCO attribute) is an attribute, not the flag.
    const coco: Dataset = { categories: [{ name: 'a' }], images: [{ fileName: 'i.jpg', width: 100, height: 50, shapes: [{ kind: 'box', label: 'a', points: [0, 0, 10, 10], attrs: { difficult: 'no' } }] }] };
    const fromCoco = [...write(coco).files.values()][0];
    expect(fromCoco).toContain('<difficult>0</difficult>');
    expect(parse(fromCoco).images[0].shapes[0].attrs).toMatchObject({ difficult: false, 'user:difficult': 'no' });
  });

  it('reads and writes CVAT-style <attributes>, and marks crowd boxes', () => {
    const d = parse(vocBox([1, 1, 10, 20], '<attributes><attribute><name>color</name><value>red</value></attribute><attribute><name>iscrowd</name><value>1</value></attribute></attributes>'));
    expect(d.images[0].shapes[0].attrs).toEqual({ color: 'red', iscrowd: 1 });
    const file = write(d).files.get('Annotations/i.xml')!;
    // a crowd box is written difficult: the devkit leaves it out of evaluation, as COCO does crowds
    expect(parse(file).images[0].shapes[0].attrs).toEqual({ color: 'red', iscrowd: 1, pose: 'Unspecified', truncated: false, difficult: true });
  });

  it('writes polygons as their bounding box, escapes names, and names files by stem', () => {
    const out = write({
      categories: [],
      images: [{ fileName: 'dir/p&q.png', width: 10, height: 10, shapes: [{ kind: 'polygon', label: 'a<b', points: [1, 2, 5, 2, 3, 7], attrs: {} }] }],
    });
    const file = out.files.get('Annotations/p&q.xml')!;
    expect(file).toContain('<filename>p&amp;q.png</filename>');
    expect(parse(file).images[0].shapes[0]).toMatchObject({ label: 'a<b', points: [1, 2, 4, 5] });
    expect(out.warnings[0]).toMatch(/1 polygons written as their bounding boxes/);
  });
});

describe('parseVoc rejects malformed input with file and position', () => {
  it('no <size>', () => {
    rejects('<annotation><filename>x.jpg</filename><object><name>a</name></object></annotation>', 'size', /missing <size>/);
  });
  it('a zero or non-numeric size', () => {
    rejects(vocBox([1, 1, 2, 2]).replace('<width>100</width>', '<width>0</width>'), 'size.width', /positive/);
    rejects(vocBox([1, 1, 2, 2]).replace('<height>50</height>', '<height>x</height>'), 'size.height', /expected a number/);
  });
  it('xmax left of xmin (negative width)', () => {
    rejects(vocBox([10, 1, 2, 2]), 'object[0].bndbox.xmax', /negative width/);
  });
  it('a missing or non-numeric bound', () => {
    rejects(vocBox([1, 1, 2, 2]).replace('<ymin>1</ymin>', ''), 'object[0].bndbox.ymin', /expected a number, got nothing/);
    rejects(vocBox([1, 1, 2, 2]).replace('<xmax>2</xmax>', '<xmax>2px</xmax>'), 'object[0].bndbox.xmax', /"2px"/);
  });
  it('broken XML: line and column', () => {
    rejects('<annotation>\n  <size><width>1</width>\n</annotation>', 'line 3, column 1', /invalid XML/);
  });
  it('a bad flag value', () => {
    rejects(vocBox([1, 1, 2, 2], '<difficult>maybe</difficult>'), 'object[0].difficult', /expected 0 or 1/);
  });
});

describe('writeVoc: mixed content, clamping, crowd regions', () => {
  it('an unknown element with mixed content is written back as text, and reads back the same', () => {
    const d = parse(vocBox([1, 1, 10, 20], '<foo>bar<baz>1</baz></foo>'));
    const file = write(d).files.get('Annotations/i.xml')!;
    expect(file).not.toContain('#text');
    expect(file).toContain('<foo>\n      <baz>1</baz>\n      bar\n    </foo>');
    const again = parse(file);
    expect(again.images[0].shapes[0].attrs.extra).toEqual(d.images[0].shapes[0].attrs.extra);
    expect(write(again).files.get('Annotations/i.xml')).toBe(file);
  });

  const box = (points: number[], attrs: Record<string, unknown> = {}): Dataset => ({
    categories: [],
    images: [{ fileName: 'i.jpg', width: 100, height: 50, shapes: [{ kind: 'box', label: 'a', points, attrs }] }],
  });
  const bounds = (file: string) => [...file.matchAll(/<(?:xmin|ymin|xmax|ymax)>([^<]*)</g)].map((m) => Number(m[1]));

  it('clamps boxes to 1 ≤ xmin ≤ xmax ≤ W, 1 ≤ ymin ≤ ymax ≤ H, with a warning', () => {
    // COCO [-5,-5,20,20] → VOC (-4,-4)–(15,15) → (1,1)–(15,15)
    let out = write(box([-5, -5, 20, 20]));
    expect(bounds(out.files.get('Annotations/i.xml')!)).toEqual([1, 1, 15, 15]);
    expect(out.warnings).toEqual(['1 boxes clamped to the image: VOC bounds are 1 ≤ xmin ≤ xmax ≤ width, 1 ≤ ymin ≤ ymax ≤ height']);
    // [90,40,20,20] on 100×50 → (91,41)–(110,60) → (91,41)–(100,50)
    out = write(box([90, 40, 20, 20]));
    expect(bounds(out.files.get('Annotations/i.xml')!)).toEqual([91, 41, 100, 50]);
    expect(out.warnings).toHaveLength(1);
    // the clamped file is one Tessera reads back
    expect(parse(out.files.get('Annotations/i.xml')!).images[0].shapes[0].points).toEqual([90, 40, 10, 10]);
    // a box inside the image is untouched and warns nothing
    out = write(box([0, 0, 100, 50]));
    expect(bounds(out.files.get('Annotations/i.xml')!)).toEqual([1, 1, 100, 50]);
    expect(out.warnings).toEqual([]);
  });

  it('a zero-width box stays readable (xmin = xmax); a box wholly outside is skipped with a warning', () => {
    let out = write(box([5, 5, 0, 0]));
    expect(bounds(out.files.get('Annotations/i.xml')!)).toEqual([6, 6, 6, 6]);
    expect(parseVoc(out.files.get('Annotations/i.xml')!, 'i.xml', xmlLib).ok).toBe(true);
    out = write(box([120, 10, 5, 5]));
    expect(out.files.get('Annotations/i.xml')).not.toContain('<object>');
    expect(out.warnings).toEqual(['1 boxes/polygons skipped: outside the image once clamped (or the image size is unknown)']);
  });

  it('a crowd region becomes a box marked difficult, with a warning', () => {
    const out = write(box([1, 2, 3, 4], { iscrowd: 1, rle: { counts: [0, 12], size: [4, 3] } }));
    const file = out.files.get('Annotations/i.xml')!;
    expect(file).toContain('<difficult>1</difficult>');
    expect(file).toContain('<name>iscrowd</name>');
    expect(file).not.toContain('counts');
    expect(out.warnings).toEqual(['1 crowd regions written as boxes marked difficult: VOC has no crowd regions, and its evaluation ignores difficult objects']);
    expect(parse(file).images[0].shapes[0].attrs).toMatchObject({ iscrowd: 1, difficult: true });
  });
});

describe('parseVoc never throws', () => {
  it('an element named __proto__ is rejected with the file named', () => {
    rejects(vocBox([1, 1, 2, 2], '<__proto__><iscrowd>1</iscrowd></__proto__>'), '', /unsupported XML/);
  });
  it('nesting deeper than the parser allows is rejected with the file named', () => {
    rejects(vocBox([1, 1, 2, 2], `${'<x>'.repeat(200)}${'</x>'.repeat(200)}`), '', /unsupported XML: Maximum nested tags/);
  });
});
