// Pascal VOC as other tools write it: labelme's empty elements and edge-touching float bounds,
// CVAT's and labelImg's layouts, whitespace-only values, elements in other orders, and what must
// still be refused. Expected values are worked by hand from the devkit rule x = xmin − 1,
// w = xmax − xmin + 1, then clamped to the image.
import { describe, expect, it } from 'vitest';
import { handmade } from './testing/test-data.ts';
import { parseVoc } from './voc-parse.ts';
import { writeVoc } from './voc-write.ts';
import type { Dataset } from './model.ts';
import { loadXml } from '../parser-libs.ts';

const xmlLib = await loadXml();

const parse = (t: string, file = 'a.xml') => {
  const r = parseVoc(t, file, xmlLib);
  if (!r.ok) throw new Error(`${r.error.position}: ${r.error.message}`);
  return r.value;
};
const write = (d: Dataset) => {
  const r = writeVoc(d);
  if (!r.ok) throw new Error(r.error.message);
  return [...r.value.files.values()][0];
};
const rejects = (t: string, position: string, message: RegExp) => {
  const r = parseVoc(t, 'bad.xml', xmlLib);
  expect(r.ok).toBe(false);
  if (!r.ok) expect(r.error).toMatchObject({ file: 'bad.xml', position, message: expect.stringMatching(message) });
};
/** One object on a 100×50 image; `obj` is the object's inner XML. */
const one = (obj: string, size = '<size><width>100</width><height>50</height></size>') =>
  `<annotation><filename>i.jpg</filename>${size}<object>${obj}</object></annotation>`;
const box = '<bndbox><xmin>1</xmin><ymin>1</ymin><xmax>10</xmax><ymax>20</ymax></bndbox>';

describe("labelme's VOC export", () => {
  const d = parse(handmade('labelme-voc.xml'), 'labelme-voc.xml');
  const [person, car] = d.images[0].shapes;

  it('reads empty elements as absent values, <height> before <width> included', () => {
    expect(d.images[0]).toMatchObject({ fileName: 'street_0001.jpg', width: 500, height: 330 });
    expect(d.categories).toEqual([{ name: 'person' }, { name: 'car' }]);
    // <pose/>, <truncated/>, <difficult/> set nothing; <folder/>, <database/>, <annotation/>,
    // <image/> and <segmented/> are not kept as fields to write back.
    expect(person.attrs).toEqual({});
    expect(car.attrs).toEqual({});
    expect(d.images[0].attrs).toEqual({ voc: { depth: '3' } });
  });

  it('keeps float bounds, and clamps a box that starts on pixel 0 into the image', () => {
    // person (191.0, 107.369…)–(313.0, 329.369…): x = 190, y = 106.369…, w = 123, h = 223
    expect(person.points[0]).toBe(190);
    expect(person.points[1]).toBeCloseTo(106.36900369003689, 12);
    expect(person.points[2]).toBe(123);
    expect(person.points[3]).toBeCloseTo(223, 12);
    // car (0, 83)–(120.5, 330): x = −1 → clamped to 0, right edge −1 + 121.5 = 120.5, so w = 120.5;
    // y = 82, h = 330 − 83 + 1 = 248 ends on the image's bottom edge (82 + 248 = 330).
    expect(car.points).toEqual([0, 82, 120.5, 248]);
    expect(d.warnings).toEqual([
      'labelme-voc.xml: 1 box clamped to the 500×330 image (VOC bounds are 1 ≤ xmin ≤ xmax ≤ width, 1 ≤ ymin ≤ ymax ≤ height)',
    ]);
  });

  it('writes a file the devkit reads: defaults for the empty fields, bounds inside the image', () => {
    const xml = write(d);
    expect(xml).not.toContain('<folder>');
    expect(xml).toContain('<segmented>0</segmented>');
    expect(xml).toContain(
      '<name>car</name>\n    <pose>Unspecified</pose>\n    <truncated>0</truncated>\n    <difficult>0</difficult>\n' +
        '    <bndbox>\n      <xmin>1</xmin>\n      <ymin>83</ymin>\n      <xmax>120.5</xmax>\n      <ymax>330</ymax>\n    </bndbox>',
    );
    expect(xml).toContain('<xmin>191</xmin>\n      <ymin>107.36900369</ymin>\n      <xmax>313</xmax>\n      <ymax>329.36900369</ymax>');
    expect(parse(xml).images[0].shapes[1].points).toEqual([0, 82, 120.5, 248]);
  });
});

describe("CVAT's VOC export", () => {
  const d = parse(handmade('cvat-voc.xml'));
  const [car] = d.images[0].shapes;

  it('drops the empty <folder> and <depth>, keeps <source>', () => {
    expect(d.images[0]).toMatchObject({ fileName: 'frame_000012.png', width: 1280, height: 720 });
    expect(d.images[0].attrs).toEqual({ voc: { source: { database: 'Unknown', annotation: 'Unknown', image: 'Unknown' }, segmented: '0' } });
  });

  it('reads the flags in its order and the attributes whatever the order of <name> and <value>', () => {
    // (412.7, 300.15)–(610.3, 455.92): x = 411.7, y = 299.15, w = 198.6, h = 156.77
    const [x, y, w, h] = car.points;
    expect([x, y]).toEqual([411.7, 299.15]);
    expect(w).toBeCloseTo(198.6, 9);
    expect(h).toBeCloseTo(156.77, 9);
    // An empty <value></value> is an empty text attribute, as CVAT means it; "0.0" is a number.
    expect(car.attrs).toEqual({ truncated: false, occluded: true, difficult: false, color: 'red', plate: '', rotation: 0 });
    expect(d.warnings).toBeUndefined();
  });
});

describe("labelImg's VOC files", () => {
  it('reads CRLF, tabs, the verified attribute and a Windows path', () => {
    const d = parse(handmade('labelimg-voc.xml'));
    expect(d.images[0]).toMatchObject({ fileName: 'dog_17.jpg', width: 640, height: 480 });
    expect(d.images[0].attrs?.voc).toEqual({
      folder: 'images',
      path: 'C:\\Users\\ann\\images\\dog_17.jpg',
      source: { database: 'Unknown' },
      segmented: '0',
      depth: '3',
    });
    // (1, 20)–(300, 480): x = 0, y = 19, w = 300, h = 461, ending on the bottom edge
    expect(d.images[0].shapes).toEqual([
      { kind: 'box', label: 'dog', points: [0, 19, 300, 461], attrs: { pose: 'Unspecified', truncated: true, difficult: false } },
    ]);
  });
});

describe('empty and whitespace-only values elsewhere', () => {
  it('whitespace-only flags and pose are absent; True/False (Python str) are flags', () => {
    const d = parse(one(`<name>a</name><pose>  \n </pose><truncated> </truncated><difficult>\n</difficult><occluded>True</occluded>${box}`));
    expect(d.images[0].shapes[0].attrs).toEqual({ occluded: true });
    const e = parse(one(`<name>a</name><truncated>False</truncated><difficult>TRUE</difficult>${box}`));
    expect(e.images[0].shapes[0].attrs).toEqual({ truncated: false, difficult: true });
  });

  it('an empty <part/>, <actions/> or action, and an unnamed <attribute>, are absent', () => {
    const d = parse(
      one(`<name>a</name>${box}<part/><part></part><actions/><attributes><attribute><name/><value>x</value></attribute></attributes>`),
    );
    expect(d.images[0].shapes[0].attrs).toEqual({});
    const e = parse(one(`<name>a</name>${box}<actions><jumping/><running>1</running></actions>`));
    expect(e.images[0].shapes[0].attrs).toEqual({ actions: { running: 1 } });
  });

  it('an empty <filename/> falls back to the base name of <path>', () => {
    const d = parse('<annotation><filename/><path>/data/x/img_3.jpg</path><size><width>9</width><height>9</height></size></annotation>');
    expect(d.images[0].fileName).toBe('img_3.jpg');
    expect(d.images[0].attrs?.voc).toEqual({ path: '/data/x/img_3.jpg' });
  });

  it('elements in any order: <bndbox> before <name>, ymax before xmin, <size> after the objects', () => {
    const d = parse(
      '<annotation><object><bndbox><ymax>20</ymax><xmax>10</xmax><ymin>1</ymin><xmin>1</xmin></bndbox><difficult>1</difficult><name>a</name></object>' +
        '<size><depth>3</depth><height>50</height><width>100</width></size><filename>i.jpg</filename></annotation>',
    );
    expect(d.images[0]).toMatchObject({ fileName: 'i.jpg', width: 100, height: 50 });
    expect(d.images[0].shapes).toEqual([{ kind: 'box', label: 'a', points: [0, 0, 10, 20], attrs: { difficult: true } }]);
  });

  it('clamps <part> boxes too, and counts every clamped box in one warning', () => {
    const d = parse(
      one(`<name>a</name><bndbox><xmin>0</xmin><ymin>1</ymin><xmax>10</xmax><ymax>60</ymax></bndbox><part><name>hand</name><bndbox><xmin>95</xmin><ymin>1</ymin><xmax>104</xmax><ymax>5</ymax></bndbox></part>`),
      'p.xml',
    );
    const s = d.images[0].shapes[0];
    // (0, 1)–(10, 60): x = −1 → 0, w = 10; y = 0, h = 60 → 50 (the image is 50 high)
    expect(s.points).toEqual([0, 0, 10, 50]);
    // hand (95, 1)–(104, 5): x = 94, w = 10 → 6 (right edge at 100)
    expect(s.attrs.parts).toEqual([{ name: 'hand', box: [94, 0, 6, 5] }]);
    expect(d.warnings).toEqual([expect.stringMatching(/^p\.xml: 2 boxes clamped to the 100×50 image/)]);
  });
});

describe('still refused', () => {
  it('no <size>, an empty <size/>, or an empty width', () => {
    rejects(`<annotation><filename>i.jpg</filename><object><name>a</name>${box}</object></annotation>`, 'size', /missing <size>/);
    rejects(one(`<name>a</name>${box}`, '<size/>'), 'size', /missing <size>/);
    rejects(one(`<name>a</name>${box}`, '<size><width/><height>50</height></size>'), 'size.width', /expected a number, got ""/);
  });

  it('an empty <name/>, an empty bound, a flag that is not 0/1', () => {
    rejects(one(`<name/>${box}`), 'object[0].name', /missing <name>/);
    rejects(one('<name>a</name><bndbox><xmin/><ymin>1</ymin><xmax>10</xmax><ymax>20</ymax></bndbox>'), 'object[0].bndbox.xmin', /expected a number, got ""/);
    rejects(one(`<name>a</name><truncated>maybe</truncated>${box}`), 'object[0].truncated', /expected 0 or 1, got "maybe"/);
    rejects(one(`<name>a</name>${box}<part><name/>${box}</part>`), 'object[0].part[0].name', /missing <name>/);
  });

  it('a box wholly outside the image', () => {
    rejects(
      one('<name>a</name><bndbox><xmin>101</xmin><ymin>1</ymin><xmax>120</xmax><ymax>20</ymax></bndbox>'),
      'object[0].bndbox',
      /box \(101, 1\)–\(120, 20\) lies outside the 100×50 image/,
    );
  });
});

describe('linear in the number of objects and classes', () => {
  it('5,000 objects of 5,000 distinct classes parse (the size that blocked the server), classes in order of first use', () => {
    const n = 5_000;
    let objs = '';
    for (let i = 0; i < n; i++) objs += `<object><name>c${i}</name>${box}</object>`;
    const d = parse(`<annotation><filename>i.jpg</filename><size><width>100</width><height>50</height></size>${objs}</annotation>`);
    expect(d.categories).toHaveLength(n);
    expect(d.categories[n - 1]).toEqual({ name: `c${n - 1}` });
    expect(d.images[0].shapes).toHaveLength(n);
  });
});
