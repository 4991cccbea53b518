// Dataset → Pascal VOC XML, one file per image: boxes clamped to the devkit's 1-based inclusive
// bounds, polygons as their bounding boxes, crowd regions marked difficult, kept fields written back.
import { ok } from '../errors.ts';
import { boundsOf, clamp } from './geometry.ts';
import { ATTR, baseName, checkUniqueStems, isUnsafeKey, RESERVED_ATTRS, stem, type Dataset, type FormatOutput, type FormatResult, type Shape } from './model.ts';
import { forEachAnnotation } from './parts.ts';
import { FLAGS, isNode, TEXT, vocAttrName, type Node } from './voc-fields.ts';

/**
 * Writes `Annotations/<stem>.xml` per image, one object per annotation. Polygons become their
 * bounding boxes (a multi-part polygon one box around all its parts); polylines and
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
    // One object per annotation: the parts of a multi-part polygon make one box.
    forEachAnnotation(im.shapes, (s, parts) => {
      let box: number[];
      if (s.kind === 'box') box = s.points;
      else if (s.kind === 'polygon') {
        box = boundsOf(parts ?? [s.points]);
        boxed++;
      } else {
        skipped++;
        return;
      }
      const b = vocBounds(box, im.width, im.height);
      if (!b) {
        outside++;
        return;
      }
      if (b.clamped) clamped++;
      if (s.attrs[ATTR.crowd] === 1) crowds++;
      x += objectXml(s, b.bounds, im.width, im.height);
    });
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

const esc = (s: string) => s.replace(/[&<>]/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : '&gt;'));
