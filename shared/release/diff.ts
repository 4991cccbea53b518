// What changed between a release and its parent (DESIGN.md "Releases"): images added, removed and
// changed (by blob); within kept images, shapes added, removed, moved (points), relabelled (class)
// and otherwise changed (attributes, kind); counts by class before and after. Lists are capped so a
// record stays small; the totals are always exact.
import { canonicalJson } from '../canonical-json.ts';
import type { Manifest, ManifestImage, ManifestShape } from './manifest.ts';

/** At most this many entries per list; `counts` holds the exact totals. */
export const DIFF_LIST_LIMIT = 500;

export interface ShapeRef {
  /** The image's blob SHA-256 and file name. */
  blob: string;
  fileName: string;
  shape: string;
  kind: string;
  label: string;
}

export interface Relabel extends ShapeRef {
  from: string;
}

export interface ClassCount {
  id: string;
  name: string;
  before: number;
  after: number;
}

export interface ReleaseDiff {
  counts: {
    imagesAdded: number;
    imagesRemoved: number;
    imagesChanged: number;
    shapesAdded: number;
    shapesRemoved: number;
    shapesMoved: number;
    shapesRelabelled: number;
    shapesChanged: number;
  };
  images: {
    added: Array<{ blob: string; fileName: string }>;
    removed: Array<{ blob: string; fileName: string }>;
    changed: Array<{ blob: string; fileName: string }>;
  };
  shapes: { added: ShapeRef[]; removed: ShapeRef[]; moved: ShapeRef[]; relabelled: Relabel[]; changed: ShapeRef[] };
  /** Shapes (and image tags) per class, in the child's class order then the parent's leftovers. */
  classes: ClassCount[];
}

const samePoints = (a: readonly number[], b: readonly number[]) => a.length === b.length && a.every((v, i) => v === b[i]);

function push<T>(list: T[], item: T): void {
  if (list.length < DIFF_LIST_LIMIT) list.push(item);
}

/** Shapes and tags per class id. */
export function classCounts(m: Manifest): Map<string, number> {
  const out = new Map<string, number>();
  for (const im of m.images) {
    for (const s of im.shapes) out.set(s.label, (out.get(s.label) ?? 0) + 1);
    for (const t of im.tags) out.set(t, (out.get(t) ?? 0) + 1);
  }
  return out;
}

/** The diff of `child` against `parent` (null: the first release, everything is added). */
export function diffManifests(parent: Manifest | null, child: Manifest): ReleaseDiff {
  const d: ReleaseDiff = {
    counts: { imagesAdded: 0, imagesRemoved: 0, imagesChanged: 0, shapesAdded: 0, shapesRemoved: 0, shapesMoved: 0, shapesRelabelled: 0, shapesChanged: 0 },
    images: { added: [], removed: [], changed: [] },
    shapes: { added: [], removed: [], moved: [], relabelled: [], changed: [] },
    classes: [],
  };
  const before = new Map<string, ManifestImage>((parent?.images ?? []).map((im) => [im.blob, im]));
  const after = new Map<string, ManifestImage>(child.images.map((im) => [im.blob, im]));
  const ref = (im: ManifestImage, s: ManifestShape): ShapeRef => ({ blob: im.blob, fileName: im.fileName, shape: s.id, kind: s.kind, label: s.label });

  for (const im of child.images) {
    const old = before.get(im.blob);
    if (!old) {
      d.counts.imagesAdded++;
      push(d.images.added, { blob: im.blob, fileName: im.fileName });
      d.counts.shapesAdded += im.shapes.length;
      for (const s of im.shapes) push(d.shapes.added, ref(im, s));
      continue;
    }
    let changed = old.fileName !== im.fileName || canonicalJson(old.tags) !== canonicalJson(im.tags);
    const oldShapes = new Map(old.shapes.map((s) => [s.id, s]));
    for (const s of im.shapes) {
      const o = oldShapes.get(s.id);
      if (!o) {
        changed = true;
        d.counts.shapesAdded++;
        push(d.shapes.added, ref(im, s));
        continue;
      }
      oldShapes.delete(s.id);
      if (o.label !== s.label) {
        changed = true;
        d.counts.shapesRelabelled++;
        push(d.shapes.relabelled, { ...ref(im, s), from: o.label });
      }
      if (!samePoints(o.points, s.points)) {
        changed = true;
        d.counts.shapesMoved++;
        push(d.shapes.moved, ref(im, s));
      } else if (o.kind !== s.kind || canonicalJson(o.attrs) !== canonicalJson(s.attrs)) {
        changed = true;
        d.counts.shapesChanged++;
        push(d.shapes.changed, ref(im, s));
      }
    }
    for (const o of oldShapes.values()) {
      changed = true;
      d.counts.shapesRemoved++;
      push(d.shapes.removed, ref(old, o));
    }
    if (changed) {
      d.counts.imagesChanged++;
      push(d.images.changed, { blob: im.blob, fileName: im.fileName });
    }
  }
  for (const old of parent?.images ?? []) {
    if (after.has(old.blob)) continue;
    d.counts.imagesRemoved++;
    push(d.images.removed, { blob: old.blob, fileName: old.fileName });
    d.counts.shapesRemoved += old.shapes.length;
    for (const s of old.shapes) push(d.shapes.removed, ref(old, s));
  }

  const cBefore = parent ? classCounts(parent) : new Map<string, number>();
  const cAfter = classCounts(child);
  const names = new Map<string, string>();
  for (const c of [...(parent?.categories ?? []), ...child.categories]) names.set(c.id, c.name);
  const order = [...child.categories.map((c) => c.id), ...(parent?.categories ?? []).map((c) => c.id), ...cBefore.keys(), ...cAfter.keys()];
  const seen = new Set<string>();
  for (const id of order) {
    if (seen.has(id)) continue;
    seen.add(id);
    d.classes.push({ id, name: names.get(id) ?? id, before: cBefore.get(id) ?? 0, after: cAfter.get(id) ?? 0 });
  }
  return d;
}

/** Whether the diff changes nothing. */
export const isEmptyDiff = (d: ReleaseDiff): boolean => Object.values(d.counts).every((n) => n === 0);
