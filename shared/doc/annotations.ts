// Typed accessors for `ann:` documents: add, update, move, relabel and delete shapes, set the
// image-level tags, read everything through the restore step, and observe changes for UIs.
import * as Y from 'yjs';
import { uuidv4 } from 'lib0/random';
import { restoreShape, type RestoreProblem } from './restore.ts';
import { isShapeKind, normalizeBox, pointsProblem, ROOT, SHAPE, type DocShape, type ShapeId, type ShapeKind, type WriteMeta } from './schema.ts';

export interface NewShape {
  /** Optional caller-chosen id (e.g. to reference it at once); a random UUID otherwise. */
  id?: ShapeId;
  kind: ShapeKind;
  /** Label class id. */
  label: string;
  points: readonly number[];
  attrs?: Record<string, unknown>;
}

export interface ShapePatch {
  label?: string;
  points?: readonly number[];
  /** Keys to set; a value of `undefined` deletes the key. */
  attrs?: Record<string, unknown>;
}

export const shapesMap = (doc: Y.Doc) => doc.getMap<unknown>(ROOT.shapes);
export const tagsMap = (doc: Y.Doc) => doc.getMap<unknown>(ROOT.tags);

/** Writer input is the caller's own: a wrong kind, label or geometry is a programming error. */
function checkGeometry(kind: ShapeKind, points: readonly number[]): number[] {
  const why = pointsProblem(kind, points);
  if (why) throw new RangeError(`invalid ${kind}: ${why}`);
  return kind === 'box' ? normalizeBox(points) : points.slice();
}
function checkLabel(label: string): void {
  if (typeof label !== 'string' || label === '') throw new RangeError('a shape needs a label class id');
}

function liveShape(doc: Y.Doc, id: ShapeId): Y.Map<unknown> | null {
  const m = shapesMap(doc).get(id);
  return m instanceof Y.Map ? m : null;
}

/** The last creation time this process handed out per document. */
const lastCreated = new WeakMap<Y.Doc, number>();

/**
 * Now in ms, but after every shape this process added to `doc` before: shapes added within one
 * millisecond (an import's loop, a paste of several) keep the order they were added in, which
 * `byCreation` numbers them by, instead of falling back to their random ids. A burst runs ahead
 * of the clock by at most one ms a shape.
 */
function creationTime(doc: Y.Doc): number {
  const t = Math.max(Date.now(), (lastCreated.get(doc) ?? 0) + 1);
  lastCreated.set(doc, t);
  return t;
}

export function addShape(doc: Y.Doc, input: NewShape, meta: WriteMeta): ShapeId {
  if (!isShapeKind(input.kind)) throw new RangeError(`unknown shape kind ${String(input.kind)}`);
  checkLabel(input.label);
  const points = checkGeometry(input.kind, input.points);
  const id = input.id ?? uuidv4();
  doc.transact(() => {
    const m = new Y.Map<unknown>();
    const attrs = new Y.Map<unknown>();
    for (const [k, v] of Object.entries(input.attrs ?? {})) if (v !== undefined) attrs.set(k, v);
    m.set(SHAPE.kind, input.kind);
    m.set(SHAPE.label, input.label);
    m.set(SHAPE.points, points);
    m.set(SHAPE.attrs, attrs);
    m.set(SHAPE.author, meta.author);
    const now = meta.now ?? creationTime(doc);
    m.set(SHAPE.updatedAt, now);
    m.set(SHAPE.createdAt, now);
    shapesMap(doc).set(id, m);
  }, meta.origin);
  return id;
}

/** Applies a patch; false when the shape does not exist (e.g. deleted concurrently) or is unreadable. */
export function updateShape(doc: Y.Doc, id: ShapeId, patch: ShapePatch, meta: WriteMeta): boolean {
  const m = liveShape(doc, id);
  if (!m) return false;
  const kind = m.get(SHAPE.kind);
  if (!isShapeKind(kind)) return false;
  if (patch.label !== undefined) checkLabel(patch.label);
  const points = patch.points !== undefined ? checkGeometry(kind, patch.points) : undefined;
  doc.transact(() => {
    if (patch.label !== undefined) m.set(SHAPE.label, patch.label);
    if (points) m.set(SHAPE.points, points);
    if (patch.attrs) {
      let attrs = m.get(SHAPE.attrs);
      if (!(attrs instanceof Y.Map)) {
        attrs = new Y.Map<unknown>();
        m.set(SHAPE.attrs, attrs);
      }
      const a = attrs as Y.Map<unknown>;
      for (const [k, v] of Object.entries(patch.attrs)) v === undefined ? a.delete(k) : a.set(k, v);
    }
    m.set(SHAPE.updatedAt, meta.now ?? Date.now());
  }, meta.origin);
  return true;
}

export const moveShape = (doc: Y.Doc, id: ShapeId, points: readonly number[], meta: WriteMeta) =>
  updateShape(doc, id, { points }, meta);

export const relabelShape = (doc: Y.Doc, id: ShapeId, classId: string, meta: WriteMeta) =>
  updateShape(doc, id, { label: classId }, meta);

export function deleteShape(doc: Y.Doc, id: ShapeId, meta: Pick<WriteMeta, 'origin'> = {}): boolean {
  const shapes = shapesMap(doc);
  if (!shapes.has(id)) return false;
  doc.transact(() => shapes.delete(id), meta.origin);
  return true;
}

export interface ShapesRead {
  /** Valid shapes, ordered by id (map key order follows arrival order and differs per peer). */
  shapes: DocShape[];
  /** Entries skipped by the restore step. */
  problems: RestoreProblem[];
}

export function readShapes(doc: Y.Doc): ShapesRead {
  const shapes: DocShape[] = [];
  const problems: RestoreProblem[] = [];
  const entries = [...shapesMap(doc).entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  for (const [id, entry] of entries) {
    const r = restoreShape(id, entry);
    if (r.ok) shapes.push(r.value);
    else problems.push(r.problem);
  }
  return { shapes, problems };
}

/**
 * Shapes in creation order (creation time, then id: the same on every peer), for numbering them
 * "box #3" in lists and on the canvas. Numbers are positions in this order, starting at 1.
 */
export function byCreation(shapes: readonly DocShape[]): DocShape[] {
  return shapes.slice().sort((a, b) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

export function readShape(doc: Y.Doc, id: ShapeId): DocShape | null {
  const r = restoreShape(id, shapesMap(doc).get(id));
  return r.ok ? r.value : null;
}

/** Sets the image-level tags (label class ids) to exactly `classIds`. */
export function setTags(doc: Y.Doc, classIds: readonly string[], meta: Pick<WriteMeta, 'origin'> = {}): void {
  const tags = tagsMap(doc);
  const want = new Set(classIds.filter((c) => typeof c === 'string' && c !== ''));
  doc.transact(() => {
    for (const k of [...tags.keys()]) if (!want.has(k)) tags.delete(k);
    for (const k of want) if (tags.get(k) !== true) tags.set(k, true);
  }, meta.origin);
}

/** Tag class ids, sorted. */
export const readTags = (doc: Y.Doc): string[] =>
  [...tagsMap(doc).entries()].filter(([, v]) => v === true).map(([k]) => k).sort();

export interface ShapesChange {
  /** Ids of shapes added, changed or deleted. */
  ids: Set<ShapeId>;
  /** Whether the change came from this peer (`transaction.local`). */
  local: boolean;
  origin: unknown;
}

/** Calls `fn` after every transaction that touches shapes. Returns the unsubscribe function. */
export function observeShapes(doc: Y.Doc, fn: (change: ShapesChange) => void): () => void {
  const shapes = shapesMap(doc);
  const handler = (events: Y.YEvent<any>[], tx: Y.Transaction) => {
    const ids = new Set<ShapeId>();
    for (const e of events) {
      if (e.target === shapes) for (const k of (e as Y.YMapEvent<unknown>).keysChanged) ids.add(k);
      else {
        // A change inside one shape map (or its attrs): the first path segment is the shape id.
        const first = e.path[0];
        if (typeof first === 'string') ids.add(first);
      }
    }
    if (ids.size) fn({ ids, local: tx.local, origin: tx.origin });
  };
  shapes.observeDeep(handler);
  return () => shapes.unobserveDeep(handler);
}

export function observeTags(doc: Y.Doc, fn: (tags: string[]) => void): () => void {
  const tags = tagsMap(doc);
  const handler = () => fn(readTags(doc));
  tags.observe(handler);
  return () => tags.unobserve(handler);
}
