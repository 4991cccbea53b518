// User attributes never land on keys with format meaning (ATTR): COCO `attributes` and VOC
// `<attribute>` entries named `group`, `iscrowd`, `__proto__`, … stay user attributes and are
// written back under their own names.
import { describe, expect, it } from 'vitest';
import { parseCoco } from './coco-parse.ts';
import { toCoco } from './coco-write.ts';
import { ATTR, userAttrs, type Dataset } from './model.ts';
import { parseVoc } from './voc-parse.ts';
import { writeVoc } from './voc-write.ts';
import { writeYolo } from './yolo-write.ts';
import { loadXml } from '../parser-libs.ts';

const xmlLib = await loadXml();

const cocoWith = (anns: Record<string, unknown>[]) =>
  JSON.stringify({
    images: [{ id: 1, file_name: 'i.jpg', width: 100, height: 50 }],
    categories: [{ id: 1, name: 'a' }],
    annotations: anns.map((a, i) => ({ id: i + 1, image_id: 1, category_id: 1, iscrowd: 0, ...a })),
  });
const parse = (t: string) => {
  const r = parseCoco(t, 'in.json');
  if (!r.ok) throw new Error(`${r.error.position}: ${r.error.message}`);
  return r.value;
};
const square = (x: number) => [[x, 0, x + 2, 0, x + 2, 2, x, 2]];

describe('COCO attributes named like format keys', () => {
  it('two polygons with attributes {group: 5} stay two annotations', () => {
    const d = parse(cocoWith([
      { segmentation: square(0), bbox: [0, 0, 2, 2], attributes: { group: 5 } },
      { segmentation: square(10), bbox: [10, 0, 2, 2], attributes: { group: 5 } },
    ]));
    for (const s of d.images[0].shapes) expect(s.attrs[ATTR.group]).toBeUndefined();
    const anns = toCoco(d).coco.annotations;
    expect(anns).toHaveLength(2);
    expect(anns.map((a) => a.segmentation)).toEqual([square(0), square(10)]);
    expect(anns.map((a) => a.attributes)).toEqual([{ group: 5 }, { group: 5 }]);
  });

  it('attributes {iscrowd: 1} on a box does not make a crowd region', () => {
    const d = parse(cocoWith([{ bbox: [1, 2, 3, 4], attributes: { iscrowd: 1, rle: 'x' } }]));
    const s = d.images[0].shapes[0];
    expect(s.attrs[ATTR.crowd]).toBeUndefined();
    expect(s.attrs[ATTR.rle]).toBeUndefined();
    const [a] = toCoco(d).coco.annotations;
    expect(a).toMatchObject({ iscrowd: 0, bbox: [1, 2, 3, 4], area: 12, attributes: { iscrowd: 1, rle: 'x' } });
    // YOLO writes it as an ordinary box; VOC does not mark it difficult
    expect(writeYolo(d).ok && (writeYolo(d) as { value: { files: Map<string, string> } }).value.files.get('labels/i.txt')).toBe('0 0.025 0.08 0.03 0.08\n');
    const voc = writeVoc(d);
    expect(voc.ok && voc.value.files.get('Annotations/i.xml')).toContain('<difficult>0</difficult>');
  });

  it('attributes {"__proto__": {"iscrowd": 1}} does not touch the prototype', () => {
    const d = parse(cocoWith([{ bbox: [1, 2, 3, 4], attributes: JSON.parse('{"__proto__": {"iscrowd": 1}, "constructor": 2, "ok": 3}') }]));
    const s = d.images[0].shapes[0];
    expect(Object.getPrototypeOf(s.attrs)).toBe(Object.prototype);
    expect(s.attrs[ATTR.crowd]).toBeUndefined();
    expect(s.attrs).toEqual({ ok: 3 });
    expect(toCoco(d).coco.annotations[0]).toMatchObject({ iscrowd: 0, attributes: { ok: 3 } });
  });

  it('an unknown annotation field "__proto__" does not reach the prototype of the kept extras', () => {
    const text = cocoWith([{ bbox: [1, 2, 3, 4] }]).replace('"iscrowd":0', '"iscrowd":0,"__proto__":{"polluted":1},"score":0.5');
    const d = parse(text);
    const extra = (d.images[0].shapes[0].attrs[ATTR.extra] as { coco: Record<string, unknown> }).coco;
    expect(Object.getPrototypeOf(extra)).toBe(Object.prototype);
    expect(extra).toEqual({ score: 0.5 });
    expect(toCoco(d).coco.annotations[0]).not.toHaveProperty('polluted');
  });

  it('round trips attribute names with the prefix itself, and every reserved name', () => {
    const attributes = { group: 1, iscrowd: 1, rle: 2, parts: 3, actions: 4, extra: 5, 'user:x': 6, plain: 7 };
    const d = parse(cocoWith([{ bbox: [1, 2, 3, 4], attributes }]));
    expect(Object.keys(d.images[0].shapes[0].attrs).filter((k) => (Object.values(ATTR) as string[]).includes(k))).toEqual([]);
    expect(userAttrs(d.images[0].shapes[0].attrs)).toEqual(attributes);
    const again = parse(JSON.stringify(toCoco(d).coco));
    expect(toCoco(again).coco.annotations[0].attributes).toEqual(attributes);
    // and through VOC: the same names back on COCO export, the box not a crowd
    const voc = writeVoc(d);
    if (!voc.ok) throw new Error(voc.error.message);
    const viaVoc = parseVoc(voc.value.files.get('Annotations/i.xml')!, 'i.xml', xmlLib);
    if (!viaVoc.ok) throw new Error(viaVoc.error.message);
    const [a] = toCoco(viaVoc.value).coco.annotations;
    expect(a.iscrowd).toBe(0);
    expect(a.attributes).toEqual({ ...attributes, pose: 'Unspecified', truncated: false, difficult: false });
  });
});

describe('VOC <attribute> entries named like format keys', () => {
  const vocWith = (attributes: string) =>
    `<annotation><filename>i.jpg</filename><size><width>100</width><height>50</height></size>` +
    ['1', '20'].map((x) => `<object><name>a</name><attributes>${attributes}</attributes><bndbox><xmin>${x}</xmin><ymin>1</ymin><xmax>${Number(x) + 5}</xmax><ymax>5</ymax></bndbox></object>`).join('') +
    `</annotation>`;
  const attribute = (name: string, value: string) => `<attribute><name>${name}</name><value>${value}</value></attribute>`;

  it('`group` does not merge shapes, `__proto__` is dropped, `parts` is not read as VOC parts', () => {
    const r = parseVoc(vocWith(attribute('group', '5') + attribute('__proto__', 'x') + attribute('parts', '[1]')), 'a.xml', xmlLib);
    if (!r.ok) throw new Error(r.error.message);
    const shapes = r.value.images[0].shapes.map((s) => ({ ...s, kind: 'polygon' as const, points: [s.points[0], 0, s.points[0] + 2, 0, s.points[0], 2] }));
    for (const s of shapes) {
      expect(Object.getPrototypeOf(s.attrs)).toBe(Object.prototype);
      expect(s.attrs[ATTR.group]).toBeUndefined();
      expect(s.attrs[ATTR.parts]).toBeUndefined();
    }
    const d: Dataset = { categories: r.value.categories, images: [{ ...r.value.images[0], shapes }] };
    const anns = toCoco(d).coco.annotations;
    expect(anns).toHaveLength(2);
    expect(anns[0].attributes).toEqual({ group: 5, parts: '[1]' });
    // written back to VOC under the same names
    const voc = writeVoc(r.value);
    expect(voc.ok && voc.value.files.get('Annotations/i.xml')).toContain('<name>group</name>');
  });
});
