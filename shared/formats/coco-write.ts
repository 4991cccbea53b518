// Dataset → COCO detection/instances JSON: ids ≥ 1, grouped polygons joined into one multi-part
// annotation, crowd RLE written back unchanged, area computed (polygon area for polygons).
import { boundsOf, polygonArea, rleArea } from './geometry.ts';
import { ATTR, categoriesInUse, userAttrs, type Dataset, type FormatOutput, type Shape } from './model.ts';
import { forEachAnnotation } from './parts.ts';

export interface CocoCategory { id: number; name: string; [k: string]: unknown }
export interface CocoImage { id: number | string; file_name: string; width: number; height: number; [k: string]: unknown }
export interface CocoAnnotation {
  id: number;
  image_id: number | string;
  category_id: number;
  segmentation: number[][] | Record<string, unknown>;
  area: number;
  bbox: number[];
  iscrowd: 0 | 1;
  attributes?: Record<string, unknown>;
  [k: string]: unknown;
}
export interface CocoFile {
  info: Record<string, unknown>;
  licenses: unknown[];
  categories: CocoCategory[];
  images: CocoImage[];
  annotations: CocoAnnotation[];
}

/**
 * Writes `annotations.json`. Polylines and points have no COCO detection form, nor VOC `<part>`
 * boxes and `<actions>`: skipped or dropped, each counted in a warning.
 */
export function writeCoco(dataset: Dataset): FormatOutput {
  const { coco, warnings } = toCoco(dataset);
  return { files: new Map([['annotations.json', JSON.stringify(coco)]]), warnings };
}

/** The COCO object `writeCoco` serialises. It shares point arrays with `dataset` (no copies). */
export function toCoco(dataset: Dataset): { coco: CocoFile; warnings: string[] } {
  const cats = categoriesInUse(dataset);
  const catIds = assignIds(cats.map((c) => c.id));
  const categories: CocoCategory[] = cats.map((c, i) => ({ ...c.attrs, id: catIds[i], name: c.name }));
  const catIdByName = new Map(cats.map((c, i) => [c.name, catIds[i]]));

  const imageIds = assignIds(dataset.images.map((im) => im.attrs?.coco?.id));
  const images: CocoImage[] = [];
  const annotations: CocoAnnotation[] = [];
  let skipped = 0;
  let partBoxes = 0;
  let actions = 0;
  let nextId = 1;
  for (let i = 0; i < dataset.images.length; i++) {
    const im = dataset.images[i];
    const image_id = imageIds[i];
    images.push({ ...im.attrs?.coco, id: image_id, file_name: im.fileName, width: im.width, height: im.height });
    forEachAnnotation(im.shapes, (s, parts) => {
      if (s.kind !== 'box' && s.kind !== 'polygon') {
        skipped++;
        return;
      }
      const vocParts = s.attrs[ATTR.parts];
      if (Array.isArray(vocParts)) partBoxes += vocParts.length;
      if (s.attrs[ATTR.actions] !== undefined) actions++;
      annotations.push(annotation(nextId++, image_id, catIdByName.get(s.label)!, s, s.kind === 'polygon' ? (parts ?? [s.points]) : undefined));
    });
  }
  const warnings: string[] = [];
  if (skipped) warnings.push(`${skipped} polylines/points skipped: COCO detection has no form for them`);
  if (partBoxes) warnings.push(`${partBoxes} VOC <part> boxes dropped: COCO detection has no form for them`);
  if (actions) warnings.push(`${actions} VOC <actions> lists dropped: COCO detection has no form for them`);
  return { coco: { info: { description: 'written by Tessera' }, licenses: [], categories, images, annotations }, warnings };
}

function annotation(
  id: number,
  image_id: number | string,
  category_id: number,
  s: Shape,
  parts: number[][] | undefined,
): CocoAnnotation {
  const rle = s.attrs[ATTR.rle] as Record<string, unknown> | undefined;
  let bbox: number[];
  let area: number;
  let segmentation: CocoAnnotation['segmentation'];
  if (parts) {
    bbox = boundsOf(parts);
    area = 0;
    for (const p of parts) area += polygonArea(p);
    segmentation = parts;
  } else {
    bbox = s.points.length === 4 ? s.points : s.points.slice(0, 4);
    segmentation = rle ?? [];
    area = (rle && rleArea(rle.counts)) ?? bbox[2] * bbox[3];
  }
  const out: CocoAnnotation = { id, image_id, category_id, segmentation, area, bbox, iscrowd: s.attrs[ATTR.crowd] === 1 ? 1 : 0 };
  const attributes = userAttrs(s.attrs);
  if (attributes) out.attributes = attributes;
  const extra = (s.attrs[ATTR.extra] as { coco?: Record<string, unknown> } | undefined)?.coco;
  if (extra) for (const k in extra) if (!(k in out)) out[k] = extra[k];
  return out;
}

/** Keeps each valid id (an integer ≥ 1, not yet taken); gives the others ids after the largest. */
function assignIds(wanted: unknown[]): number[] {
  const taken = new Set<number>();
  let max = 0;
  for (const w of wanted) {
    if (typeof w === 'number' && Number.isInteger(w) && w >= 1 && !taken.has(w)) {
      taken.add(w);
      if (w > max) max = w;
    }
  }
  const used = new Set<number>();
  return wanted.map((w) => {
    if (typeof w === 'number' && taken.has(w) && !used.has(w)) {
      used.add(w);
      return w;
    }
    return ++max;
  });
}
