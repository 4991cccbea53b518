// Tessera's canonical dataset model that every format converter reads into and writes from,
// the FormatError every importer reports, and small helpers over file names and categories.
import { err, ok, type Result } from '../errors.ts';

/** Shape kinds, as in the `ann:` documents (DESIGN.md, Documents). */
export const SHAPE_KINDS = { box: 'box', polygon: 'polygon', polyline: 'polyline', point: 'point' } as const;
export type ShapeKind = (typeof SHAPE_KINDS)[keyof typeof SHAPE_KINDS];

/**
 * One annotation. Coordinates are absolute image pixels as floats, origin at the top-left corner
 * of the top-left pixel (COCO). A box is `[x, y, width, height]`; a polygon or polyline is
 * `[x1, y1, x2, y2, …]`; a point is `[x, y]`. `label` is the class name, never an id.
 */
export interface Shape {
  kind: ShapeKind;
  label: string;
  points: number[];
  attrs: Record<string, unknown>;
}

/**
 * Keys of `Shape.attrs` that carry format meaning; every other key is a user attribute
 * (COCO `attributes`, VOC `difficult`/`truncated`/`pose`/`occluded`, …). Readers never let a
 * user attribute land on one of these keys: see `userAttrKey`.
 */
export const ATTR = {
  /** `1` for a COCO crowd region (`iscrowd: 1`); the shape is then its bounding box. */
  crowd: 'iscrowd',
  /** The COCO RLE `segmentation` object of a crowd region, kept verbatim. */
  rle: 'rle',
  /** Polygons of one multi-part COCO annotation share this number. */
  group: 'group',
  /** VOC `<part>` boxes: `{ name, box: [x, y, w, h] }[]` in Tessera pixels. */
  parts: 'parts',
  /** VOC `<actions>`: action name → 0/1. */
  actions: 'actions',
  /** Fields of the source annotation no converter understands, kept verbatim per format. */
  extra: 'extra',
} as const;
export const RESERVED_ATTRS: ReadonlySet<string> = new Set(Object.values(ATTR));

/**
 * The prefix that keeps user attributes apart from the keys with format meaning: a user attribute
 * named like a reserved key (`group`, `iscrowd`, …) or starting with this prefix is stored under
 * the prefixed name (`attributes: {group: 5}` → `attrs["user:group"]`), and written back under
 * its own name. So no input can make a user attribute mean crowd, grouping, RLE and so on.
 */
export const USER_ATTR_PREFIX = 'user:';

/** Names that are never copied into an object from input: they would reach or shadow its prototype. */
const UNSAFE_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);
export const isUnsafeKey = (k: string): boolean => UNSAFE_KEYS.has(k);

/** The `attrs` key under which a user attribute called `name` is stored (see USER_ATTR_PREFIX). */
export const userAttrKey = (name: string): string =>
  RESERVED_ATTRS.has(name) || name.startsWith(USER_ATTR_PREFIX) ? USER_ATTR_PREFIX + name : name;

/** The user attribute name stored under `key`: the inverse of `userAttrKey`. */
export const userAttrName = (key: string): string => (key.startsWith(USER_ATTR_PREFIX) ? key.slice(USER_ATTR_PREFIX.length) : key);

/**
 * Copies the user attributes of `source` (e.g. COCO `attributes`) into `attrs`: own keys only,
 * `__proto__`/`constructor`/`prototype` skipped, each under `userAttrKey(name)`.
 */
export function copyUserAttrs(attrs: Record<string, unknown>, source: Record<string, unknown>): void {
  for (const name of Object.keys(source)) {
    if (UNSAFE_KEYS.has(name)) continue;
    attrs[userAttrKey(name)] = source[name];
  }
}

export interface Category {
  /** The id in the source file (COCO); writers keep it when it is a valid id ≥ 1. */
  id?: number;
  name: string;
  /** Other category fields, e.g. COCO `supercategory`. */
  attrs?: Record<string, unknown>;
}

export interface DatasetImage {
  /** As the source wrote it (may carry folders or a URL prefix); see `baseName` and `stem`. */
  fileName: string;
  /** Display size: after EXIF orientation. 0 when the source does not say. */
  width: number;
  height: number;
  shapes: Shape[];
  /** `train`, `val` or `test` when the source says (a release, a YOLO split folder). */
  split?: string;
  /** Image-level class labels (Label Studio choices). */
  tags?: string[];
  /** Format-specific image fields keyed by format (`coco`, `voc`), written back by that format only. */
  attrs?: Record<string, Record<string, unknown>>;
}

export interface Dataset {
  /** In class order: YOLO class ids are indexes into this list. */
  categories: Category[];
  images: DatasetImage[];
  /** What a reader repaired on the way in (e.g. VOC boxes clamped to the image), one line each. */
  warnings?: string[];
}

/** Why an input was rejected: the file, where in it (JSON path or `line N`), and what is wrong. */
export interface FormatError {
  file: string;
  position: string;
  message: string;
}
export type FormatResult<T> = Result<T, FormatError>;

export const formatError = (file: string, position: string, message: string): FormatResult<never> =>
  err({ file, position, message });

/** One line for a terminal or a log: `file: position: problem`. */
export const describeFormatError = (e: FormatError): string =>
  e.position ? `${e.file}: ${e.position}: ${e.message}` : `${e.file}: ${e.message}`;

/** What a writer produced: relative output path → file text, plus what it could not represent. */
export interface FormatOutput {
  files: Map<string, string>;
  warnings: string[];
}

/** decodeURIComponent that keeps a malformed `%` sequence as written instead of throwing. */
const safeDecode = (s: string) => {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
};

/** The file name without folders, URL prefix or query: `a/b/c.jpg?x=1` → `c.jpg`. */
export function baseName(fileName: string): string {
  let s = fileName;
  const q = s.search(/[?#]/);
  if (q >= 0) {
    // Label Studio local files: `/data/local-files/?d=folder/img.jpg`.
    const d = /[?&]d=([^&#]+)/.exec(s);
    s = d ? safeDecode(d[1]) : s.slice(0, q);
  }
  const slash = Math.max(s.lastIndexOf('/'), s.lastIndexOf('\\'));
  return slash >= 0 ? s.slice(slash + 1) : s;
}

/** The base name without its extension: `a/b/c.tar.jpg` → `c.tar`. */
export function stem(fileName: string): string {
  const b = baseName(fileName);
  const dot = b.lastIndexOf('.');
  return dot > 0 ? b.slice(0, dot) : b;
}

/**
 * The class list a writer uses: the dataset's categories in order, then any label used by a
 * shape but missing from them, in order of first use.
 */
export function categoriesInUse(dataset: Dataset): Category[] {
  const out = dataset.categories.slice();
  const seen = new Set(out.map((c) => c.name));
  for (const image of dataset.images) {
    for (const s of image.shapes) {
      if (!seen.has(s.label)) {
        seen.add(s.label);
        out.push({ name: s.label });
      }
    }
  }
  return out;
}

/** Joins datasets (e.g. one per VOC file): categories are united by name, images appended. */
export function mergeDatasets(parts: Dataset[]): Dataset {
  const categories: Category[] = [];
  const byName = new Set<string>();
  const images: DatasetImage[] = [];
  const warnings: string[] = [];
  for (const p of parts) {
    if (p.warnings) for (const w of p.warnings) warnings.push(w);
    for (const c of p.categories) {
      if (!byName.has(c.name)) {
        byName.add(c.name);
        categories.push(c);
      }
    }
    for (const im of p.images) images.push(im);
  }
  return warnings.length ? { categories, images, warnings } : { categories, images };
}

/** A writer's output files are named by image stem; two images with one stem would overwrite. */
export function checkUniqueStems(dataset: Dataset, what: string): FormatResult<Map<string, number>> {
  const seen = new Map<string, number>();
  for (let i = 0; i < dataset.images.length; i++) {
    const s = stem(dataset.images[i].fileName);
    const prev = seen.get(s);
    if (prev !== undefined) {
      return formatError(
        dataset.images[i].fileName,
        `images[${i}]`,
        `same ${what} name "${s}" as ${dataset.images[prev].fileName}; ${what} files are named by image stem`,
      );
    }
    seen.set(s, i);
  }
  return ok(seen);
}

/** Per-image shape lists keyed by base file name, for filling `ann:` documents on import. */
export interface ImageAnnotations {
  fileName: string;
  width: number;
  height: number;
  shapes: Shape[];
  tags: string[];
}

/**
 * Turns a parsed dataset into per-image shape lists keyed by base file name (images are matched
 * to uploads by name). Two entries with the same base name are rejected rather than merged.
 */
export function imageAnnotationsByName(dataset: Dataset, file: string): FormatResult<Map<string, ImageAnnotations>> {
  const out = new Map<string, ImageAnnotations>();
  for (let i = 0; i < dataset.images.length; i++) {
    const im = dataset.images[i];
    const key = baseName(im.fileName);
    if (out.has(key)) return formatError(file, `images[${i}]`, `file name "${key}" appears twice`);
    out.set(key, {
      fileName: key,
      width: im.width,
      height: im.height,
      shapes: im.shapes.map((s) => ({ kind: s.kind, label: s.label, points: s.points.slice(), attrs: { ...s.attrs } })),
      tags: im.tags ? im.tags.slice() : [],
    });
  }
  return ok(out);
}

/**
 * User attributes of a shape by their own names: attrs minus the keys with format meaning, with
 * `USER_ATTR_PREFIX` taken off (`attrs["user:group"]` → `group`). Own keys only.
 */
export function userAttrs(attrs: Record<string, unknown>): Record<string, unknown> | undefined {
  let out: Record<string, unknown> | undefined;
  for (const k of Object.keys(attrs)) {
    if (RESERVED_ATTRS.has(k) || UNSAFE_KEYS.has(k)) continue;
    const name = userAttrName(k);
    if (UNSAFE_KEYS.has(name)) continue;
    (out ??= {})[name] = attrs[k];
  }
  return out;
}
