// The document schema of `ann:` and `cmt:` documents: Y.Map key names, value types and the
// validation rules for shape geometry. The only place in Tessera that spells these keys; every
// reader and writer goes through the accessors in this folder (DESIGN.md "Documents").
import type * as Y from 'yjs';
import { SHAPE_KINDS, type ShapeKind } from '../formats/model.ts';

export { SHAPE_KINDS, type ShapeKind };

/** Top-level shared types of a document. */
export const ROOT = {
  /** `ann:` shape id → shape map. */
  shapes: 'shapes',
  /** `ann:` image-level class id → `true`. */
  tags: 'tags',
  /** `cmt:` thread id → thread map. */
  threads: 'threads',
  /** Both kinds: schema version and applied migrations. */
  meta: 'meta',
} as const;

/** Keys of one shape's Y.Map. */
export const SHAPE = {
  kind: 'kind',
  /** The label CLASS ID (renaming a class keeps its id, so documents need no rewrite). */
  label: 'label',
  /** Flat coordinates in image pixels: box `[x, y, w, h]`, polygon/polyline `[x1, y1, …]`, point `[x, y]`. */
  points: 'points',
  /** A nested Y.Map of user attributes, so that concurrent edits of different keys merge. */
  attrs: 'attrs',
  /** The user id of the creator. */
  author: 'author',
  /** Milliseconds since the epoch of the last change. */
  updatedAt: 'updatedAt',
  /** Milliseconds since the epoch of the creation, written once: shapes are numbered in this order. */
  createdAt: 'createdAt',
} as const;

/** Keys of one comment thread's Y.Map. */
export const THREAD = {
  anchor: 'anchor',
  resolved: 'resolved',
  /** A Y.Array of plain `{id, author, text, at}` objects. */
  messages: 'messages',
} as const;

/** Fields of one message, a plain object in a thread's messages array. */
export const MESSAGE = {
  id: 'id',
  /** The user id of the writer. */
  author: 'author',
  text: 'text',
  at: 'at',
} as const satisfies Record<string, keyof Message>;

/** Keys of the `meta` map. Applied migrations are flat keys so that concurrent runs merge. */
export const META = {
  /** The number of migrations applied (the schema version). */
  version: 'version',
  /** `m:<migration id>` → its 1-based position in the ordered list. */
  migrationPrefix: 'm:',
} as const;

export type ShapeId = string;
export type ThreadId = string;

/** A shape as readers see it: validated, with plain attributes. */
export interface DocShape {
  id: ShapeId;
  kind: ShapeKind;
  /** Label class id. */
  label: string;
  points: number[];
  attrs: Record<string, unknown>;
  author: string | null;
  updatedAt: number;
  /** Creation time; for shapes written before it was recorded, their `updatedAt`. */
  createdAt: number;
}

/** A thread is anchored to a shape or to a point in image pixels. */
export type Anchor = { shapeId: ShapeId } | { x: number; y: number };

export interface Message {
  id: string;
  author: string;
  text: string;
  at: number;
}

export interface DocThread {
  id: ThreadId;
  anchor: Anchor;
  resolved: boolean;
  messages: Message[];
}

/** Who writes and when; `origin` is passed to `Y.transact` (providers ignore their own origin). */
export interface WriteMeta {
  author: string;
  now?: number;
  origin?: unknown;
}

export const isShapeKind = (v: unknown): v is ShapeKind =>
  typeof v === 'string' && Object.prototype.hasOwnProperty.call(SHAPE_KINDS, v);

/** Why a set of points does not fit a kind, or null if it does. Never throws. */
export function pointsProblem(kind: ShapeKind, points: unknown): string | null {
  if (!Array.isArray(points)) return 'points is not an array';
  for (const p of points) if (typeof p !== 'number' || !Number.isFinite(p)) return 'a coordinate is not a finite number';
  const n = points.length;
  switch (kind) {
    case 'box':
      return n === 4 ? null : `a box needs 4 numbers, got ${n}`;
    case 'point':
      return n === 2 ? null : `a point needs 2 numbers, got ${n}`;
    case 'polyline':
      return n >= 4 && n % 2 === 0 ? null : `a polyline needs at least 2 points, got ${n} numbers`;
    case 'polygon':
      return n >= 6 && n % 2 === 0 ? null : `a polygon needs at least 3 points, got ${n} numbers`;
  }
}

/** A box with negative width or height, written the right way round. */
export function normalizeBox(p: readonly number[]): number[] {
  const [x, y, w, h] = p;
  return [w < 0 ? x + w : x, h < 0 ? y + h : y, Math.abs(w), Math.abs(h)];
}

export type ShapeMap = Y.Map<unknown>;
export type ThreadMap = Y.Map<unknown>;
