// Pascal VOC XML ↔ Dataset. Bounds are the devkit's 1-based inclusive pixels: a box over pixels
// xmin..xmax is x = xmin − 1, w = xmax − xmin + 1 in Tessera's coordinates. Floats are accepted.
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { ok } from '../errors.ts';
import { boundsOf } from './geometry.ts';
import {
  ATTR,
  baseName,
  checkUniqueStems,
  formatError,
  stem,
  userAttrs,
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
  const root = (parser.parse(xml) as Node).annotation;
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
  for (const k in root) if (!IMAGE_KEYS.has(k)) imageAttrs[k] = root[k];
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
      for (const k in o.actions) {
        const v = num(o.actions[k]);
        if (v === undefined) return fail(`${at}.actions.${k}`, `expected 0 or 1, got ${show(o.actions[k])}`);
        actions[k] = v;
      }
      attrs[ATTR.actions] = actions;
    }
    if (isNode(o.attributes) && Array.isArray(o.attributes.attribute)) {
      for (const a of o.attributes.attribute as unknown[]) {
        if (isNode(a) && typeof a.name === 'string') attrs[a.name] = typedValue(a.value);
      }
    }
    let extra: Node | undefined;
    for (const k in o) if (!OBJECT_KEYS.has(k)) (extra ??= {})[k] = o[k];
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
 * Writes `Annotations/<stem>.xml` per image. Polygons become their bounding boxes; polylines and
 * points are skipped; both are reported in warnings. Crowd boxes carry an `iscrowd` attribute.
 */
export function writeVoc(dataset: Dataset): FormatResult<FormatOutput> {
  const stems = checkUniqueStems(dataset, 'annotation file');
  if (!stems.ok) return stems;
  const files = new Map<string, string>();
  let boxed = 0;
  let skipped = 0;
  for (const im of dataset.images) {
    const extra = im.attrs?.voc ?? {};
    let x = '<?xml version="1.0" encoding="UTF-8"?>\n<annotation>\n';
    if (extra.folder !== undefined) x += element('folder', extra.folder, '  ');
    x += `  <filename>${esc(baseName(im.fileName))}</filename>\n`;
    for (const k in extra) if (k !== 'folder' && k !== 'depth' && k !== 'segmented') x += element(k, extra[k], '  ');
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
      x += objectXml(s, box);
    }
    files.set(`Annotations/${stem(im.fileName)}.xml`, `${x}</annotation>\n`);
  }
  const warnings: string[] = [];
  if (boxed) warnings.push(`${boxed} polygons written as their bounding boxes: VOC has boxes only`);
  if (skipped) warnings.push(`${skipped} polylines/points skipped: VOC has no form for them`);
  return ok({ files, warnings });
}

function objectXml(s: Shape, b: number[]): string {
  const a = s.attrs;
  let x = `  <object>\n    <name>${esc(s.label)}</name>\n    <pose>${esc(String(a.pose ?? 'Unspecified'))}</pose>\n`;
  x += `    <truncated>${a.truncated ? 1 : 0}</truncated>\n    <difficult>${a.difficult ? 1 : 0}</difficult>\n`;
  if (a.occluded !== undefined) x += `    <occluded>${a.occluded ? 1 : 0}</occluded>\n`;
  x += bndbox(b, '    ');
  const parts = a[ATTR.parts] as { name: string; box: number[] }[] | undefined;
  if (Array.isArray(parts)) {
    for (const p of parts) x += `    <part>\n      <name>${esc(p.name)}</name>\n${bndbox(p.box, '      ')}    </part>\n`;
  }
  const actions = a[ATTR.actions];
  if (isNode(actions)) x += element('actions', actions, '    ');
  const user = userAttrs(a);
  const listed = user && Object.keys(user).filter((k) => k !== 'pose' && !(FLAGS as readonly string[]).includes(k));
  if (a[ATTR.crowd] === 1 || (listed && listed.length)) {
    x += '    <attributes>\n';
    if (a[ATTR.crowd] === 1) x += attributeXml(ATTR.crowd, 1);
    for (const k of listed ?? []) x += attributeXml(k, user![k]);
    x += '    </attributes>\n';
  }
  const extra = (a[ATTR.extra] as { voc?: Node } | undefined)?.voc;
  if (extra) for (const k in extra) x += element(k, extra[k], '    ');
  return `${x}  </object>\n`;
}

const attributeXml = (name: string, value: unknown) =>
  `      <attribute>\n        <name>${esc(name)}</name>\n        <value>${esc(typeof value === 'object' ? JSON.stringify(value) : String(value))}</value>\n      </attribute>\n`;

function bndbox(b: number[], ind: string): string {
  const [x, y, w, h] = b;
  return `${ind}<bndbox>\n${ind}  <xmin>${fmt(x + 1)}</xmin>\n${ind}  <ymin>${fmt(y + 1)}</ymin>\n${ind}  <xmax>${fmt(x + w)}</xmax>\n${ind}  <ymax>${fmt(y + h)}</ymax>\n${ind}</bndbox>\n`;
}

/** Integers stay integers; floats are rounded to 1e-9 so that `x − 1 + 1` prints as written. */
const fmt = (v: number): string => (Number.isInteger(v) ? String(v) : String(Math.round(v * 1e9) / 1e9));

/** Serialises a value kept from a parsed file back to XML (strings, nested elements, repeats). */
function element(name: string, value: unknown, ind: string): string {
  if (Array.isArray(value)) return value.map((v) => element(name, v, ind)).join('');
  if (isNode(value)) {
    let x = `${ind}<${name}>\n`;
    for (const k in value) x += element(k, value[k], `${ind}  `);
    return `${x}${ind}</${name}>\n`;
  }
  return `${ind}<${name}>${esc(String(value ?? ''))}</${name}>\n`;
}

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
