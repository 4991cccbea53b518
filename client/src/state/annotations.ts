// Bridges an `ann:` document to Solid: observe → update a signal → unobserve on cleanup.
// Components get plain, immutable shapes (numbered in creation order) and intent functions, each
// of which is one undo step; only shared/doc touches the maps. A change re-reads only the shapes
// it names and keeps every other shape object as it was, so a move on a 2,000-shape image costs one
// shape, and a keyed <For> or the canvas redraws only what changed.
import { createSignal, onCleanup } from 'solid-js';
import { uuidv4 } from 'lib0/random';
import {
  addShape,
  byCreation,
  type ShapesChange,
  deleteShape,
  observeShapes,
  observeTags,
  readShape,
  readShapes,
  readTags,
  setTags,
  shapesMap,
  tagsMap,
  updateShape,
  type DocShape,
  type NewShape,
  type ShapeId,
} from '../../../shared/doc/index.ts';
import type { DocConnection } from '../sync/connection.ts';
import { guardedUndo, type UndoResult } from './undo.ts';

/** A shape with its number: its position in creation order, the same on every peer. */
export type Shape = DocShape & { n: number };

export interface AnnotationsState {
  /** In creation order. */
  shapes: readonly Shape[];
  /** Image-level tags (label class ids). */
  tags: readonly string[];
  add(input: Omit<NewShape, 'id'>): ShapeId;
  move(id: ShapeId, points: readonly number[]): void;
  relabel(id: ShapeId, classId: string): void;
  /** Sets (or, with `undefined`, removes) attributes by their stored key. */
  setAttrs(id: ShapeId, attrs: Record<string, unknown>): void;
  remove(id: ShapeId): void;
  toggleTag(classId: string): void;
  undo(): UndoResult;
  redo(): UndoResult;
}

const TAG = 'tag:';

/** Must be called inside a reactive owner (a component): it unobserves on cleanup. */
export function useAnnotations(conn: DocConnection, author: string): AnnotationsState {
  const origin = { local: 'tessera-ui' };
  const doc = conn.doc;
  const [shapes, setShapes] = createSignal<readonly Shape[]>([]);
  const [tags, setTagList] = createSignal<readonly string[]>([]);
  /** The shapes as last read, by id (the numbered objects handed out). */
  let byId = new Map<string, Shape>();
  /** Numbers `list` (in creation order), keeping the objects whose shape and number are unchanged. */
  const number = (list: readonly DocShape[]) => {
    const next = new Map<string, Shape>();
    const out = list.map((s, i) => {
      const old = byId.get(s.id);
      const shape = old && s === old && old.n === i + 1 ? old : { ...s, n: i + 1 };
      next.set(s.id, shape);
      return shape;
    });
    byId = next;
    setShapes(out);
  };
  const refresh = () => number(byCreation(readShapes(doc).shapes));
  const update = ({ ids }: ShapesChange) => {
    if (ids.size > 64) return refresh();
    let reorder = false;
    const fresh = new Map<string, DocShape | null>();
    for (const id of ids) {
      const s = readShape(doc, id);
      const old = byId.get(id);
      if (!s || !old || s.createdAt !== old.createdAt) reorder = true;
      if (s || old) fresh.set(id, s);
    }
    if (!fresh.size) return;
    if (!reorder) {
      setShapes(shapes().map((old) => (fresh.has(old.id) ? remember({ ...fresh.get(old.id)!, n: old.n }) : old)));
      return;
    }
    // A shape came, went or changed its creation time: order again (other numbers may shift).
    const all = new Map<string, DocShape>(byId);
    for (const [id, s] of fresh) {
      if (s) all.set(id, s);
      else all.delete(id);
    }
    number(byCreation([...all.values()]));
  };
  const remember = (s: Shape) => {
    byId.set(s.id, s);
    return s;
  };
  const refreshTags = () => setTagList(readTags(doc));
  refresh();
  refreshTags();
  const offShapes = observeShapes(doc, update);
  const offTags = observeTags(doc, refreshTags);
  const fingerprint = (key: string) => (key.startsWith(TAG) ? String(readTags(doc).includes(key.slice(TAG.length))) : JSON.stringify(readShape(doc, key)));
  const undo = guardedUndo([shapesMap(doc), tagsMap(doc)], origin, fingerprint);
  onCleanup(() => {
    offShapes();
    offTags();
    undo.destroy();
  });
  const meta = () => ({ author, origin });
  const kindOf = (id: ShapeId) => readShape(doc, id)?.kind ?? 'shape';
  return {
    get shapes() {
      return shapes();
    },
    get tags() {
      return tags();
    },
    add: (input) => {
      const id = uuidv4();
      return undo.run(`drawing a ${input.kind}`, [id], () => addShape(doc, { ...input, id }, meta()));
    },
    move: (id, points) => void undo.run(`moving a ${kindOf(id)}`, [id], () => updateShape(doc, id, { points }, meta())),
    relabel: (id, classId) => void undo.run(`relabelling a ${kindOf(id)}`, [id], () => updateShape(doc, id, { label: classId }, meta())),
    setAttrs: (id, attrs) => void undo.run(`editing attributes of a ${kindOf(id)}`, [id], () => updateShape(doc, id, { attrs }, meta())),
    remove: (id) => void undo.run(`deleting a ${kindOf(id)}`, [id], () => deleteShape(doc, id, { origin })),
    toggleTag: (classId) => {
      const now = readTags(doc);
      const next = now.includes(classId) ? now.filter((t) => t !== classId) : [...now, classId];
      undo.run(now.includes(classId) ? 'removing a tag' : 'adding a tag', [TAG + classId], () => setTags(doc, next, { origin }));
    },
    undo: () => undo.undo(),
    redo: () => undo.redo(),
  };
}
