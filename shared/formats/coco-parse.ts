// COCO detection/instances JSON → Dataset: strict validation with JSON-path positions, sparse
// category ids mapped by name, multi-part polygons as grouped shapes, crowd RLE kept verbatim.
import { ok } from '../errors.ts';
import { MAX_KEPT_DEPTH, nestedDeeperThan, parseJson } from './json.ts';
import { ATTR, copyUserAttrs, formatError, isUnsafeKey, type Category, type Dataset, type DatasetImage, type FormatResult, type Shape } from './model.ts';

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
/** An optional value written empty: missing, null or an empty list. */
const isAbsent = (v: unknown): boolean => v === undefined || v === null || (Array.isArray(v) && v.length === 0);
const isId = (v: unknown): v is number | string => (typeof v === 'number' && Number.isInteger(v)) || typeof v === 'string';

const CATEGORY_KEYS = new Set(['id', 'name']);
const IMAGE_KEYS = new Set(['file_name', 'width', 'height']);
const TOO_DEEP = `nesting too deep: values kept verbatim may nest at most ${MAX_KEPT_DEPTH} levels`;
const ANN_KEYS = new Set(['id', 'image_id', 'category_id', 'segmentation', 'area', 'bbox', 'iscrowd', 'attributes']);

/** Parses COCO JSON text; `file` names the input in errors. Rejects the whole file on any problem. */
export function parseCoco(text: string, file: string): FormatResult<Dataset> {
  const parsed = parseJson(text, file);
  if (!parsed.ok) return parsed;
  return cocoToDataset(parsed.value, file);
}

/**
 * Validates an already parsed COCO object and converts it. The dataset takes over the parsed
 * arrays (bbox, polygons, RLE) without copying them: parsing speed matters for large files.
 */
export function cocoToDataset(root: unknown, file: string): FormatResult<Dataset> {
  const fail = (position: string, message: string) => formatError(file, position, message);
  if (!isObj(root)) return fail('$', 'expected a JSON object with "images", "annotations" and "categories"');
  const { images: rawImages, annotations: rawAnns = [], categories: rawCats } = root;
  if (!Array.isArray(rawImages)) return fail('images', 'missing or not an array');
  if (!Array.isArray(rawCats)) return fail('categories', 'missing or not an array');
  if (!Array.isArray(rawAnns)) return fail('annotations', 'not an array');

  const categories: Category[] = [];
  const catById = new Map<number, string>();
  const catNames = new Set<string>();
  for (let i = 0; i < rawCats.length; i++) {
    const c = rawCats[i];
    const at = `categories[${i}]`;
    if (!isObj(c)) return fail(at, 'expected an object');
    if (typeof c.id !== 'number' || !Number.isInteger(c.id)) return fail(`${at}.id`, 'expected an integer id');
    if (typeof c.name !== 'string' || c.name.trim() === '') return fail(`${at}.name`, 'expected a non-empty string');
    if (catById.has(c.id)) return fail(`${at}.id`, `duplicate category id ${c.id}`);
    if (catNames.has(c.name)) return fail(`${at}.name`, `duplicate category name "${c.name}"`);
    catById.set(c.id, c.name);
    catNames.add(c.name);
    const cat: Category = { id: c.id, name: c.name };
    const attrs = extras(c, CATEGORY_KEYS);
    if (attrs && nestedDeeperThan(attrs, MAX_KEPT_DEPTH)) return fail(at, TOO_DEEP);
    if (attrs) cat.attrs = attrs;
    categories.push(cat);
  }

  const images: DatasetImage[] = [];
  const imageById = new Map<number | string, DatasetImage>();
  for (let i = 0; i < rawImages.length; i++) {
    const im = rawImages[i];
    const at = `images[${i}]`;
    if (!isObj(im)) return fail(at, 'expected an object');
    if (!isId(im.id)) return fail(`${at}.id`, 'expected an integer id');
    if (imageById.has(im.id)) return fail(`${at}.id`, `duplicate image id ${im.id}`);
    if (typeof im.file_name !== 'string' || im.file_name.trim() === '') return fail(`${at}.file_name`, 'expected a non-empty string');
    for (const k of ['width', 'height'] as const) {
      const v = im[k];
      if (!isNum(v)) return fail(`${at}.${k}`, 'expected a number');
      if (v <= 0) return fail(`${at}.${k}`, `${k} must be positive, got ${v}`);
    }
    const imageExtras = extras(im, IMAGE_KEYS);
    if (imageExtras && nestedDeeperThan(imageExtras, MAX_KEPT_DEPTH)) return fail(at, TOO_DEEP);
    const image: DatasetImage = {
      fileName: im.file_name,
      width: im.width as number,
      height: im.height as number,
      shapes: [],
      attrs: { coco: imageExtras ?? {} },
    };
    imageById.set(im.id, image);
    images.push(image);
  }

  let group = 0;
  for (let i = 0; i < rawAnns.length; i++) {
    const a = rawAnns[i];
    const at = `annotations[${i}]`;
    if (!isObj(a)) return fail(at, 'expected an object');
    const image = imageById.get(a.image_id as number);
    if (image === undefined) return fail(`${at}.image_id`, `unknown image id ${JSON.stringify(a.image_id)}`);
    const label = catById.get(a.category_id as number);
    if (label === undefined) return fail(`${at}.category_id`, `unknown category id ${JSON.stringify(a.category_id)}`);
    const crowd = a.iscrowd ?? 0;
    if (crowd !== 0 && crowd !== 1 && crowd !== true && crowd !== false) return fail(`${at}.iscrowd`, 'expected 0 or 1');

    // Optional values written empty by other tools (`"bbox": []`, `"attributes": null`,
    // `"segmentation": [[]]`) are absent, as pycocotools and CVAT read them.
    let bbox: number[] | undefined;
    if (!isAbsent(a.bbox)) {
      const b = a.bbox;
      if (!Array.isArray(b) || b.length !== 4) return fail(`${at}.bbox`, 'expected [x, y, width, height]');
      for (let k = 0; k < 4; k++) if (!isNum(b[k])) return fail(`${at}.bbox[${k}]`, 'expected a number');
      if (b[2] < 0) return fail(`${at}.bbox[2]`, `negative width ${b[2]}`);
      if (b[3] < 0) return fail(`${at}.bbox[3]`, `negative height ${b[3]}`);
      bbox = b as number[];
    }

    const attrs: Record<string, unknown> = {};
    if (crowd === 1 || crowd === true) attrs[ATTR.crowd] = 1;
    if (a.attributes !== undefined && a.attributes !== null) {
      if (!isObj(a.attributes)) return fail(`${at}.attributes`, 'expected an object');
      if (nestedDeeperThan(a.attributes, MAX_KEPT_DEPTH)) return fail(`${at}.attributes`, TOO_DEEP);
      // Never Object.assign: a user attribute must not land on a key with format meaning
      // (`group` would merge polygons, `iscrowd` make a crowd) nor set the prototype.
      copyUserAttrs(attrs, a.attributes);
    }
    const extra = extras(a, ANN_KEYS);
    if (extra && nestedDeeperThan(extra, MAX_KEPT_DEPTH)) return fail(at, TOO_DEEP);
    if (extra) attrs[ATTR.extra] = { coco: extra };

    const seg = a.segmentation;
    if (isObj(seg)) {
      const problem = checkRle(seg);
      if (problem) return fail(`${at}.segmentation${problem.path}`, problem.message);
      if (nestedDeeperThan(seg, MAX_KEPT_DEPTH)) return fail(`${at}.segmentation`, TOO_DEEP);
      if (!bbox) return fail(`${at}.bbox`, 'an RLE segmentation needs a bbox');
      attrs[ATTR.rle] = seg;
      image.shapes.push({ kind: 'box', label, points: bbox, attrs });
    } else if (Array.isArray(seg) && seg.some((part) => !isAbsent(part))) {
      const kept: number[][] = [];
      for (let p = 0; p < seg.length; p++) {
        const part = seg[p];
        if (isAbsent(part)) continue;
        if (!Array.isArray(part)) return fail(`${at}.segmentation[${p}]`, 'expected a list of x, y numbers');
        if (part.length < 6 || part.length % 2 !== 0) {
          return fail(`${at}.segmentation[${p}]`, `a polygon needs an even count of at least 6 numbers, got ${part.length}`);
        }
        for (let k = 0; k < part.length; k++) {
          if (!isNum(part[k])) return fail(`${at}.segmentation[${p}][${k}]`, 'expected a number');
        }
        kept.push(part as number[]);
      }
      const g = kept.length > 1 ? ++group : 0;
      for (let p = 0; p < kept.length; p++) {
        const shapeAttrs = p === 0 ? attrs : { ...attrs };
        if (g) shapeAttrs[ATTR.group] = g;
        image.shapes.push({ kind: 'polygon', label, points: kept[p], attrs: shapeAttrs });
      }
    } else if (seg === undefined || seg === null || Array.isArray(seg)) {
      if (!bbox) return fail(at, 'neither a bbox nor a segmentation');
      image.shapes.push({ kind: 'box', label, points: bbox, attrs } satisfies Shape);
    } else {
      return fail(`${at}.segmentation`, 'expected a list of polygons or an RLE object');
    }
  }
  return ok({ categories, images });
}

/** Own fields of `o` outside `known` (never `__proto__` and the like), or undefined when there are none. */
function extras(o: Record<string, unknown>, known: ReadonlySet<string>): Record<string, unknown> | undefined {
  let out: Record<string, unknown> | undefined;
  for (const k of Object.keys(o)) if (!known.has(k) && !isUnsafeKey(k)) (out ??= {})[k] = o[k];
  return out;
}

function checkRle(seg: Record<string, unknown>): { path: string; message: string } | undefined {
  const { counts, size } = seg;
  if (!Array.isArray(size) || size.length !== 2 || !size.every((v) => Number.isInteger(v) && v >= 0)) {
    return { path: '.size', message: 'expected [height, width]' };
  }
  if (typeof counts === 'string') return undefined;
  if (!Array.isArray(counts)) return { path: '.counts', message: 'expected a list of run lengths or an RLE string' };
  let total = 0;
  for (let k = 0; k < counts.length; k++) {
    const c = counts[k];
    if (!Number.isInteger(c) || c < 0) return { path: `.counts[${k}]`, message: 'expected a non-negative integer' };
    total += c;
  }
  if (total !== size[0] * size[1]) {
    return { path: '.counts', message: `runs cover ${total} pixels, size ${size[0]}×${size[1]} has ${size[0] * size[1]}` };
  }
  return undefined;
}
