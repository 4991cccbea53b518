// The release manifest (DESIGN.md "Releases"): schema tessera.release/1, content only (no number,
// time, creator or notes), images sorted by blob SHA-256, shapes in canonical form read from each
// approved revision's update bytes through the shared document module. The release id is the
// SHA-256 of `manifestBytes(manifest)`; hashing is the caller's (node:crypto on the server).
import * as Y from 'yjs';
import { canonicalJson } from '../canonical-json.ts';
import { readShapes, readTags } from '../doc/index.ts';
import type { ShapeKind } from '../doc/schema.ts';

export const RELEASE_SCHEMA = 'tessera.release/1' as const;

export const SPLITS = { train: 'train', val: 'val', test: 'test' } as const;
export type Split = (typeof SPLITS)[keyof typeof SPLITS];
export const SPLIT_ORDER: readonly Split[] = [SPLITS.train, SPLITS.val, SPLITS.test];
export const isSplit = (v: unknown): v is Split => typeof v === 'string' && Object.prototype.hasOwnProperty.call(SPLITS, v);

export interface ManifestCategory {
  /** The label class id (what shapes' `label` holds). */
  id: string;
  name: string;
}

/** A shape in canonical form: no author or times (they are provenance, not content). */
export interface ManifestShape {
  id: string;
  kind: ShapeKind;
  /** Label class id, one of the manifest's categories. */
  label: string;
  points: number[];
  attrs: Record<string, unknown>;
}

export interface ManifestImage {
  /** SHA-256 of the image bytes. */
  blob: string;
  bytes: number;
  width: number;
  height: number;
  fileName: string;
  split: Split;
  /** SHA-256 of the approved revision (the stored `encodeStateAsUpdate`). */
  revision: string;
  /** Sorted by shape id. */
  shapes: ManifestShape[];
  /** Image-level class ids, sorted. */
  tags: string[];
}

export interface Manifest {
  schema: typeof RELEASE_SCHEMA;
  project: string;
  /** In class order. */
  categories: ManifestCategory[];
  /** Sorted by blob SHA-256. */
  images: ManifestImage[];
}

/** One image going into a release (its shapes and tags in any order: `buildManifest` sorts them). */
export type ManifestImageInput = ManifestImage;

const byString = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * The annotations of an approved revision: its update bytes applied to a fresh document and read
 * through the document module (the restore step skips what it cannot read), in canonical form.
 */
export function revisionContent(update: Uint8Array): { shapes: ManifestShape[]; tags: string[] } {
  // A fixed guid: the default one is a random UUID, which cost more than a tenth of a cut.
  const doc = new Y.Doc({ guid: 'release-revision' });
  try {
    Y.applyUpdate(doc, update);
    const shapes = readShapes(doc).shapes.map((s) => ({ id: s.id, kind: s.kind, label: s.label, points: s.points.slice(), attrs: s.attrs }));
    return { shapes: shapes.sort((a, b) => byString(a.id, b.id)), tags: readTags(doc) };
  } finally {
    doc.destroy();
  }
}

/** Builds the manifest: images sorted by blob (then file name), shapes by id, tags sorted. */
export function buildManifest(project: string, categories: readonly ManifestCategory[], images: readonly ManifestImageInput[]): Manifest {
  const out: ManifestImage[] = images.map((im) => ({
    blob: im.blob,
    bytes: im.bytes,
    width: im.width,
    height: im.height,
    fileName: im.fileName,
    split: im.split,
    revision: im.revision,
    shapes: im.shapes.slice().sort((a, b) => byString(a.id, b.id)),
    tags: im.tags.slice().sort(byString),
  }));
  out.sort((a, b) => byString(a.blob, b.blob) || byString(a.fileName, b.fileName));
  return { schema: RELEASE_SCHEMA, project, categories: categories.map((c) => ({ id: c.id, name: c.name })), images: out };
}

/** The manifest's canonical JSON as UTF-8: what is hashed, served and written as manifest.json. */
export const manifestBytes = (m: Manifest): Uint8Array => new TextEncoder().encode(canonicalJson(m));
