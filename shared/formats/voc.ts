// Pascal VOC XML ↔ Dataset. Bounds are the devkit's 1-based inclusive pixels: a box over pixels
// xmin..xmax is x = xmin − 1, w = xmax − xmin + 1 in Tessera's coordinates. Floats are accepted.
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { ok } from '../errors.ts';
import { boundsOf, clamp } from './geometry.ts';
import {
  ATTR,
  baseName,
  checkUniqueStems,
  formatError,
  isUnsafeKey,
  RESERVED_ATTRS,
  stem,
  USER_ATTR_PREFIX,
  type Dataset,
  type DatasetImage,
  type FormatOutput,
  type FormatResult,
  type Shape,
} from './model.ts';

type Node = Record<string, unknown>;
const ARRAYS = new Set(['annotation.object', 'annotation.object.part', 'annotation.object.attributes.attribute']);
const parser = new XMLParser({ ignoreAttributes: true, parseTagValue: false, trimValues: true, isArray: (_n, path) => typeof path === 'string' && ARRAYS.has(path) });

/** Object children read into named attrs; everything else is kept verbatim in attrs.extra.voc. */
const OBJECT_KEYS = new Set(['name', 'pose', 'truncated', 'difficult', 'occluded', 'bndbox', 'part', 'actions', 'attributes']);
const FLAGS = ['truncated', 'difficult', 'occluded'] as const;
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

/**
 * `<attribute>` name → attrs key. Reserved names become user attributes under the prefix
 * (`group` → `user:group`); prefixed names are taken as written (Tessera writes them so).
 */
const vocAttrKey = (name: string): string => (RESERVED_ATTRS.has(name) || VOC_FIELDS.has(name) ? USER_ATTR_PREFIX + name : name);

/** VOC's own object fields: an `<attribute>` of one of these names must not overwrite the field. */
const VOC_FIELDS: ReadonlySet<string> = new Set(['pose', ...FLAGS]);

/** attrs key of a user attribute → `<attribute>` name that `vocAttrKey` maps back to it. */
function vocAttrName(key: string): string {
  if (!key.startsWith(USER_ATTR_PREFIX)) return key;
  const name = key.slice(USER_ATTR_PREFIX.length);
  // `iscrowd` is the crowd flag in VOC files: a user attribute of that name keeps its prefix.
  return (RESERVED_ATTRS.has(name) && name !== ATTR.crowd) || VOC_FIELDS.has(name) ? name : key;
}

/**
 * Writes `Annotations/<stem>.xml` per image. Polygons become their bounding boxes; polylines and
 * points are skipped; both are reported in warnings. Boxes are clamped to the devkit's
 * `1 ≤ xmin ≤ xmax ≤ width` (same for y) and boxes wholly outside the image skipped, with a
 * warning. Crowd regions are written as boxes marked `<difficult>1</difficult>` (the devkit leaves
 * difficult objects out of evaluation, as COCO does crowd regions) with an `iscrowd` attribute.
 */
export function writeVoc(dataset: Dataset): FormatResult<FormatOutput> {
  const stems = checkUniqueStems(dataset, 'annotation file');
  if (!stems.ok) return stems;
  const files = new Map<string, string>();
  let boxed = 0;
  let skipped = 0;
  let clamped = 0;
  let outside = 0;
  let crowds = 0;
  for (const im of dataset.images) {
    const extra = im.attrs?.voc ?? {};
    let x = '<?xml version="1.0" encoding="UTF-8"?>\n<annotation>\n';
    if (extra.folder !== undefined) x += element('folder', extra.folder, '  ');
    x += `  <filename>${esc(baseName(im.fileName))}</filename>\n`;
    for (const k of Object.keys(extra)) if (k !== 'folder' && k !== 'depth' && k !== 'segmented') x += element(k, extra[k], '  ');
    x += `  <size>\n    <width>${im.width}</width>\n    <height>${im.height}</height>\n    <depth>${esc(String(extra.depth ?? 3))}</depth>\n  </size>\n`;
    x += `  <segmented>${esc(String(extra.segmented ?? 0))}</segmented>\n`;
    for (const s of im.shapes) {
      let box: number[];
      if (s.kind === 'box') box = s.points;
      else if (s.kind === 'polygon') {
        box = boundsOf([s.points]);
        boxed++;
      } else {
        skipped++;
        continue;
      }
      const b = vocBounds(box, im.width, im.height);
      if (!b) {
        outside++;
        continue;
      }
      if (b.clamped) clamped++;
      if (s.attrs[ATTR.crowd] === 1) crowds++;
      x += objectXml(s, b.bounds, im.width, im.height);
    }
    files.set(`Annotations/${stem(im.fileName)}.xml`, `${x}</annotation>\n`);
  }
  const warnings: string[] = [];
  if (boxed) warnings.push(`${boxed} polygons written as their bounding boxes: VOC has boxes only`);
  if (skipped) warnings.push(`${skipped} polylines/points skipped: VOC has no form for them`);
  if (clamped) warnings.push(`${clamped} boxes clamped to the image: VOC bounds are 1 ≤ xmin ≤ xmax ≤ width, 1 ≤ ymin ≤ ymax ≤ height`);
  if (outside) warnings.push(`${outside} boxes/polygons skipped: outside the image once clamped (or the image size is unknown)`);
  if (crowds) warnings.push(`${crowds} crowd regions written as boxes marked difficult: VOC has no crowd regions, and its evaluation ignores difficult objects`);
  return ok({ files, warnings });
}

/** A VOC flag's value, when the attribute is one (true/false, 1/0); anything else is a user attribute. */
function flagValue(v: unknown): boolean | undefined {
  if (v === true || v === 1 || v === '1' || v === 'true') return true;
  if (v === false || v === 0 || v === '0' || v === 'false') return false;
  return undefined;
}

/** Whether attrs key `k` is written as one of VOC's own object fields rather than as an `<attribute>`. */
const isVocField = (a: Node, k: string): boolean =>
  k === 'pose' ? typeof a.pose === 'string' : (FLAGS as readonly string[]).includes(k) && flagValue(a[k]) !== undefined;

function objectXml(s: Shape, b: number[], W: number, H: number): string {
  const a = s.attrs;
  const crowd = a[ATTR.crowd] === 1;
  const pose = typeof a.pose === 'string' ? a.pose : 'Unspecified';
  let x = `  <object>\n    <name>${esc(s.label)}</name>\n    <pose>${esc(pose)}</pose>\n`;
  x += `    <truncated>${flagValue(a.truncated) ? 1 : 0}</truncated>\n    <difficult>${flagValue(a.difficult) || crowd ? 1 : 0}</difficult>\n`;
  if (flagValue(a.occluded) !== undefined) x += `    <occluded>${flagValue(a.occluded) ? 1 : 0}</occluded>\n`;
  x += bndboxXml(b, '    ');
  const parts = a[ATTR.parts] as { name: string; box: number[] }[] | undefined;
  if (Array.isArray(parts)) {
    for (const p of parts) {
      const pb = vocBounds(p.box, W, H);
      if (pb) x += `    <part>\n      <name>${esc(p.name)}</name>\n${bndboxXml(pb.bounds, '      ')}    </part>\n`;
    }
  }
  const actions = a[ATTR.actions];
  if (isNode(actions)) x += element('actions', actions, '    ');
  const listed = Object.keys(a).filter((k) => !RESERVED_ATTRS.has(k) && !isUnsafeKey(k) && !isVocField(a, k));
  if (crowd || listed.length) {
    x += '    <attributes>\n';
    if (crowd) x += attributeXml(ATTR.crowd, 1);
    for (const k of listed) x += attributeXml(vocAttrName(k), a[k]);
    x += '    </attributes>\n';
  }
  const extra = (a[ATTR.extra] as { voc?: Node } | undefined)?.voc;
  if (extra) for (const k of Object.keys(extra)) x += element(k, extra[k], '    ');
  return `${x}  </object>\n`;
}

const attributeXml = (name: string, value: unknown) =>
  `      <attribute>\n        <name>${esc(name)}</name>\n        <value>${esc(typeof value === 'object' ? JSON.stringify(value) : String(value))}</value>\n      </attribute>\n`;

/**
 * A Tessera box `[x, y, w, h]` as VOC `[xmin, ymin, xmax, ymax]` clamped to the devkit's
 * `1 ≤ xmin ≤ xmax ≤ W`, `1 ≤ ymin ≤ ymax ≤ H`; undefined when it does not overlap the image.
 */
function vocBounds(b: number[], W: number, H: number): { bounds: number[]; clamped: boolean } | undefined {
  const [x, y, w, h] = b;
  if (!(W > 0 && H > 0) || x >= W || y >= H || x + w <= 0 || y + h <= 0) return undefined;
  const xmin = clamp(x + 1, 1, W);
  const ymin = clamp(y + 1, 1, H);
  const xmax = clamp(x + w, xmin, W);
  const ymax = clamp(y + h, ymin, H);
  const clamped = xmin !== x + 1 || ymin !== y + 1 || xmax !== x + w || ymax !== y + h;
  return { bounds: [xmin, ymin, xmax, ymax], clamped };
}

function bndboxXml(v: number[], ind: string): string {
  const [xmin, ymin, xmax, ymax] = v;
  return `${ind}<bndbox>\n${ind}  <xmin>${fmt(xmin)}</xmin>\n${ind}  <ymin>${fmt(ymin)}</ymin>\n${ind}  <xmax>${fmt(xmax)}</xmax>\n${ind}  <ymax>${fmt(ymax)}</ymax>\n${ind}</bndbox>\n`;
}

/** Integers stay integers; floats are rounded to 1e-9 so that `x − 1 + 1` prints as written. */
const fmt = (v: number): string => (Number.isInteger(v) ? String(v) : String(Math.round(v * 1e9) / 1e9));

/**
 * Serialises a value kept from a parsed file back to XML (strings, nested elements, repeats).
 * The parser keeps the text of an element with mixed content under `#text`: written as text.
 */
function element(name: string, value: unknown, ind: string): string {
  if (Array.isArray(value)) return value.map((v) => element(name, v, ind)).join('');
  if (name === TEXT) return `${ind}${esc(typeof value === 'object' && value !== null ? JSON.stringify(value) : String(value ?? ''))}\n`;
  if (isNode(value)) {
    let x = `${ind}<${name}>\n`;
    for (const k of Object.keys(value)) x += element(k, value[k], `${ind}  `);
    return `${x}${ind}</${name}>\n`;
  }
  return `${ind}<${name}>${esc(String(value ?? ''))}</${name}>\n`;
}

/** Where fast-xml-parser puts the text of an element that also has child elements. */
const TEXT = '#text';
const isNode = (v: unknown): v is Node => typeof v === 'object' && v !== null && !Array.isArray(v);
const num = (v: unknown): number | undefined => {
  if (typeof v !== 'string' || v.trim() === '') return undefined;
  const n = Number(v);
  return Number.isFinite(n) ? n : undefined;
};
const show = (v: unknown) => (v === undefined ? 'nothing' : JSON.stringify(v));
const typedValue = (v: unknown): unknown =>
  v === 'true' ? true : v === 'false' ? false : typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v)) ? Number(v) : v ?? '';
const esc = (s: string) => s.replace(/[&<>]/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : '&gt;'));
