// Pascal VOC XML → Dataset. Bounds are the devkit's 1-based inclusive pixels: a box over pixels
// xmin..xmax is x = xmin − 1, w = xmax − xmin + 1 in Tessera's coordinates. Floats are accepted.
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { ok } from '../errors.ts';
import { ATTR, baseName, formatError, isUnsafeKey, type Dataset, type DatasetImage, type FormatResult, type Shape } from './model.ts';
import { FLAGS, isNode, vocAttrKey, type Node } from './voc-fields.ts';

const ARRAYS = new Set(['annotation.object', 'annotation.object.part', 'annotation.object.attributes.attribute']);
const parser = new XMLParser({ ignoreAttributes: true, parseTagValue: false, trimValues: true, isArray: (_n, path) => typeof path === 'string' && ARRAYS.has(path) });

/** Object children read into named attrs; everything else is kept verbatim in attrs.extra.voc. */
const OBJECT_KEYS = new Set(['name', 'pose', 'truncated', 'difficult', 'occluded', 'bndbox', 'part', 'actions', 'attributes']);
const IMAGE_KEYS = new Set(['filename', 'size', 'object']);

/** Parses one VOC annotation file into a one-image dataset (categories in order of first use). */
export function parseVoc(xml: string, file: string): FormatResult<Dataset> {
  const valid = XMLValidator.validate(xml);
  if (valid !== true) return formatError(file, `line ${valid.err.line}, column ${valid.err.col}`, `invalid XML: ${valid.err.msg}`);
  let parsed: Node;
  try {
    parsed = parser.parse(xml) as Node;
  } catch (e) {
    // fast-xml-parser refuses `<__proto__>`-like names and very deep nesting by throwing.
    return formatError(file, '', `unsupported XML: ${(e as Error).message}`);
  }
  const root = parsed.annotation;
  if (!isNode(root)) return formatError(file, '', 'no <annotation> element');
  const fail = (position: string, message: string) => formatError(file, position, message);

  const size = root.size;
  if (!isNode(size)) return fail('size', 'missing <size>: VOC boxes need the image width and height');
  const dims: number[] = [];
  for (const k of ['width', 'height'] as const) {
    const v = num(size[k]);
    if (v === undefined) return fail(`size.${k}`, `expected a number, got ${show(size[k])}`);
    if (v <= 0) return fail(`size.${k}`, `${k} must be positive, got ${v}`);
    dims.push(v);
  }
  let fileName = typeof root.filename === 'string' && root.filename !== '' ? root.filename : undefined;
  if (!fileName && typeof root.path === 'string' && root.path !== '') fileName = baseName(root.path);
  if (!fileName) return fail('filename', 'missing <filename>');

  const imageAttrs: Node = {};
  for (const k of Object.keys(root)) if (!IMAGE_KEYS.has(k) && !isUnsafeKey(k)) imageAttrs[k] = root[k];
  if (size.depth !== undefined) imageAttrs.depth = size.depth;

  const shapes: Shape[] = [];
  const labels: string[] = [];
  const objects = (root.object ?? []) as unknown[];
  for (let i = 0; i < objects.length; i++) {
    const o = objects[i];
    const at = `object[${i}]`;
    if (!isNode(o)) return fail(at, 'expected an element with <name> and <bndbox>');
    if (typeof o.name !== 'string' || o.name === '') return fail(`${at}.name`, 'missing <name>');
    const box = readBox(o.bndbox, `${at}.bndbox`);
    if (!box.ok) return fail(box.error.position, box.error.message);
    const attrs: Node = {};
    if (typeof o.pose === 'string') attrs.pose = o.pose;
    for (const f of FLAGS) {
      if (o[f] === undefined) continue;
      const v = o[f] === '1' || o[f] === 'true' ? true : o[f] === '0' || o[f] === 'false' ? false : undefined;
      if (v === undefined) return fail(`${at}.${f}`, `expected 0 or 1, got ${show(o[f])}`);
      attrs[f] = v;
    }
    if (o.part !== undefined) {
      const parts: { name: string; box: number[] }[] = [];
      const list = o.part as unknown[];
      for (let p = 0; p < list.length; p++) {
        const part = list[p];
        if (!isNode(part) || typeof part.name !== 'string') return fail(`${at}.part[${p}].name`, 'missing <name>');
        const pb = readBox(part.bndbox, `${at}.part[${p}].bndbox`);
        if (!pb.ok) return fail(pb.error.position, pb.error.message);
        parts.push({ name: part.name, box: pb.value });
      }
      attrs[ATTR.parts] = parts;
    }
    if (isNode(o.actions)) {
      const actions: Record<string, number> = {};
      for (const k of Object.keys(o.actions)) {
        if (isUnsafeKey(k)) continue;
        const v = num(o.actions[k]);
        if (v === undefined) return fail(`${at}.actions.${k}`, `expected 0 or 1, got ${show(o.actions[k])}`);
        actions[k] = v;
      }
      attrs[ATTR.actions] = actions;
    }
    if (isNode(o.attributes) && Array.isArray(o.attributes.attribute)) {
      for (const a of o.attributes.attribute as unknown[]) {
        if (!isNode(a) || typeof a.name !== 'string' || isUnsafeKey(a.name)) continue;
        const value = typedValue(a.value);
        // `iscrowd` 1/0 is the crowd flag Tessera writes; any other name is a user attribute and
        // can never land on a key with format meaning (`group` would merge shapes on COCO export).
        if (a.name === ATTR.crowd && (value === 1 || value === true)) attrs[ATTR.crowd] = 1;
        else if (a.name === ATTR.crowd && (value === 0 || value === false)) continue;
        else attrs[vocAttrKey(a.name)] = value;
      }
    }
    let extra: Node | undefined;
    for (const k of Object.keys(o)) if (!OBJECT_KEYS.has(k) && !isUnsafeKey(k)) (extra ??= {})[k] = o[k];
    if (extra) attrs[ATTR.extra] = { voc: extra };
    if (!labels.includes(o.name)) labels.push(o.name);
    shapes.push({ kind: 'box', label: o.name, points: box.value, attrs });
  }
  const image: DatasetImage = { fileName, width: dims[0], height: dims[1], shapes, attrs: { voc: imageAttrs } };
  return ok({ categories: labels.map((name) => ({ name })), images: [image] });
}

function readBox(b: unknown, at: string): FormatResult<number[]> {
  if (!isNode(b)) return formatError('', at, 'missing <bndbox>');
  const v: number[] = [];
  for (const k of ['xmin', 'ymin', 'xmax', 'ymax']) {
    const n = num(b[k]);
    if (n === undefined) return formatError('', `${at}.${k}`, `expected a number, got ${show(b[k])}`);
    v.push(n);
  }
  if (v[2] < v[0]) return formatError('', `${at}.xmax`, `xmax ${v[2]} is left of xmin ${v[0]} (negative width)`);
  if (v[3] < v[1]) return formatError('', `${at}.ymax`, `ymax ${v[3]} is above ymin ${v[1]} (negative height)`);
  return ok([v[0] - 1, v[1] - 1, v[2] - v[0] + 1, v[3] - v[1] + 1]);
}

const num = (v: unknown): number | undefined => {
  if (typeof v !== 'string' || v.trim() === '') return undefined;
  const n = Number(v);
  return Number.isFinite(n) ? n : undefined;
};
const show = (v: unknown) => (v === undefined ? 'nothing' : JSON.stringify(v));
const typedValue = (v: unknown): unknown =>
  v === 'true' ? true : v === 'false' ? false : typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v)) ? Number(v) : v ?? '';
