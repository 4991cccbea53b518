// Pascal VOC XML → Dataset. Bounds are the devkit's 1-based inclusive pixels: a box over pixels
// xmin..xmax is x = xmin − 1, w = xmax − xmin + 1 in Tessera's coordinates. Floats are accepted.
import type { XMLParser } from 'fast-xml-parser';
import { ok } from '../errors.ts';
import type { XmlLib } from '../parser-libs.ts';
import { clamp } from './geometry.ts';
import { ATTR, baseName, formatError, isUnsafeKey, type Dataset, type DatasetImage, type FormatResult, type Shape } from './model.ts';
import { FLAGS, isNode, vocAttrKey, type Node } from './voc-fields.ts';

const ARRAYS = new Set(['annotation.object', 'annotation.object.part', 'annotation.object.attributes.attribute']);
const OPTIONS: ConstructorParameters<XmlLib['XMLParser']>[0] = { ignoreAttributes: true, parseTagValue: false, trimValues: true, isArray: (_n, path) => typeof path === 'string' && ARRAYS.has(path) };
/** The parser with OPTIONS, made at the first parse with a given fast-xml-parser. */
const parsers = new WeakMap<XmlLib, XMLParser>();

/** Object children read into named attrs; everything else is kept verbatim in attrs.extra.voc. */
const OBJECT_KEYS = new Set(['name', 'pose', 'truncated', 'difficult', 'occluded', 'bndbox', 'part', 'actions', 'attributes']);
const IMAGE_KEYS = new Set(['filename', 'size', 'object']);

/** Parses one VOC annotation file into a one-image dataset (categories in order of first use); `lib` is fast-xml-parser (loadXml()). */
export function parseVoc(xml: string, file: string, lib: XmlLib): FormatResult<Dataset> {
  const valid = lib.XMLValidator.validate(xml);
  if (valid !== true) return formatError(file, `line ${valid.err.line}, column ${valid.err.col}`, `invalid XML: ${valid.err.msg}`);
  let parsed: Node;
  try {
    let parser = parsers.get(lib);
    if (!parser) parsers.set(lib, (parser = new lib.XMLParser(OPTIONS)));
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

  const [W, H] = dims;
  const imageAttrs: Node = {};
  for (const k of Object.keys(root)) {
    if (IMAGE_KEYS.has(k) || isUnsafeKey(k)) continue;
    const v = withoutEmpty(root[k]);
    if (v !== undefined) imageAttrs[k] = v;
  }
  if (!isEmpty(size.depth)) imageAttrs.depth = size.depth;

  const shapes: Shape[] = [];
  const labels = new Set<string>();
  let clamped = 0;
  /** The object's box in Tessera pixels, clamped to the image; a box wholly outside it is an error. */
  const inImage = (b: unknown, at: string): FormatResult<number[]> => {
    const r = readBox(b, at);
    if (!r.ok) return fail(r.error.position, r.error.message);
    const [x, y, w, h] = r.value;
    if (x >= W || y >= H || x + w <= 0 || y + h <= 0) {
      return fail(at, `box (${x + 1}, ${y + 1})–(${x + w}, ${y + h}) lies outside the ${W}×${H} image`);
    }
    const x0 = clamp(x, 0, W);
    const y0 = clamp(y, 0, H);
    const x1 = clamp(x + w, 0, W);
    const y1 = clamp(y + h, 0, H);
    if (x0 === x && y0 === y && x1 === x + w && y1 === y + h) return r;
    clamped++;
    return ok([x0, y0, x1 - x0, y1 - y0]);
  };
  const objects = (root.object ?? []) as unknown[];
  for (let i = 0; i < objects.length; i++) {
    const o = objects[i];
    const at = `object[${i}]`;
    if (!isNode(o)) return fail(at, 'expected an element with <name> and <bndbox>');
    if (typeof o.name !== 'string' || o.name === '') return fail(`${at}.name`, 'missing <name>');
    const box = inImage(o.bndbox, `${at}.bndbox`);
    if (!box.ok) return box;
    const attrs: Node = {};
    // Empty elements (`<pose/>`, `<truncated/>`, as labelme writes them) are absent values.
    if (typeof o.pose === 'string' && o.pose !== '') attrs.pose = o.pose;
    for (const f of FLAGS) {
      if (isEmpty(o[f])) continue;
      const v = flag(o[f]);
      if (v === undefined) return fail(`${at}.${f}`, `expected 0 or 1, got ${show(o[f])}`);
      attrs[f] = v;
    }
    if (o.part !== undefined) {
      const parts: { name: string; box: number[] }[] = [];
      const list = o.part as unknown[];
      for (let p = 0; p < list.length; p++) {
        const part = list[p];
        if (isEmpty(part)) continue;
        if (!isNode(part) || typeof part.name !== 'string' || part.name === '') return fail(`${at}.part[${p}].name`, 'missing <name>');
        const pb = inImage(part.bndbox, `${at}.part[${p}].bndbox`);
        if (!pb.ok) return pb;
        parts.push({ name: part.name, box: pb.value });
      }
      if (parts.length) attrs[ATTR.parts] = parts;
    }
    if (isNode(o.actions)) {
      const actions: Record<string, number> = {};
      let any = false;
      for (const k of Object.keys(o.actions)) {
        if (isUnsafeKey(k) || isEmpty(o.actions[k])) continue;
        const v = flag(o.actions[k]);
        if (v === undefined) return fail(`${at}.actions.${k}`, `expected 0 or 1, got ${show(o.actions[k])}`);
        actions[k] = v ? 1 : 0;
        any = true;
      }
      if (any) attrs[ATTR.actions] = actions;
    }
    if (isNode(o.attributes) && Array.isArray(o.attributes.attribute)) {
      for (const a of o.attributes.attribute as unknown[]) {
        if (!isNode(a) || typeof a.name !== 'string' || a.name === '' || isUnsafeKey(a.name)) continue;
        // An empty <value/> stays an empty string: CVAT writes text attributes that way.
        const value = typedValue(a.value);
        // `iscrowd` 1/0 is the crowd flag Tessera writes; any other name is a user attribute and
        // can never land on a key with format meaning (`group` would merge shapes on COCO export).
        if (a.name === ATTR.crowd && (value === 1 || value === true)) attrs[ATTR.crowd] = 1;
        else if (a.name === ATTR.crowd && (value === 0 || value === false)) continue;
        else attrs[vocAttrKey(a.name)] = value;
      }
    }
    let extra: Node | undefined;
    for (const k of Object.keys(o)) {
      if (OBJECT_KEYS.has(k) || isUnsafeKey(k)) continue;
      const v = withoutEmpty(o[k]);
      if (v !== undefined) (extra ??= {})[k] = v;
    }
    if (extra) attrs[ATTR.extra] = { voc: extra };
    labels.add(o.name);
    shapes.push({ kind: 'box', label: o.name, points: box.value, attrs });
  }
  const image: DatasetImage = { fileName, width: W, height: H, shapes, attrs: { voc: imageAttrs } };
  const dataset: Dataset = { categories: [...labels].map((name) => ({ name })), images: [image] };
  if (clamped) {
    dataset.warnings = [`${file}: ${clamped} box${clamped === 1 ? '' : 'es'} clamped to the ${W}×${H} image (VOC bounds are 1 ≤ xmin ≤ xmax ≤ width, 1 ≤ ymin ≤ ymax ≤ height)`];
  }
  return ok(dataset);
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
/** An element written empty (`<truncated/>`, `<pose></pose>`, whitespace only): an absent value. */
const isEmpty = (v: unknown): boolean => v === undefined || v === '';
/** A kept value without its empty elements (`<source><database/></source>` → nothing), or undefined. */
function withoutEmpty(v: unknown): unknown {
  if (Array.isArray(v)) {
    const list = v.map(withoutEmpty).filter((x) => x !== undefined);
    return list.length === 0 ? undefined : list;
  }
  if (isNode(v)) {
    let out: Node | undefined;
    for (const k of Object.keys(v)) {
      const x = withoutEmpty(v[k]);
      if (x !== undefined && !isUnsafeKey(k)) (out ??= {})[k] = x;
    }
    return out;
  }
  return isEmpty(v) ? undefined : v;
}
/** A VOC flag: 1/0, or true/false in any case (Python's `str(True)`); undefined for anything else. */
function flag(v: unknown): boolean | undefined {
  if (typeof v !== 'string') return undefined;
  const s = v.toLowerCase();
  return s === '1' || s === 'true' ? true : s === '0' || s === 'false' ? false : undefined;
}
const show = (v: unknown) => (v === undefined ? 'nothing' : JSON.stringify(v));
const typedValue = (v: unknown): unknown =>
  v === 'true' ? true : v === 'false' ? false : typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v)) ? Number(v) : v ?? '';
