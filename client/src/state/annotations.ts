// Bridges an `ann:` document to a Solid store: observe → reconcile the store → unobserve on
// cleanup. Components get plain shapes (numbered in creation order) and intent functions, each of
// which is one undo step; only shared/doc touches the maps.
import { onCleanup } from 'solid-js';
import { createStore, reconcile } from 'solid-js/store';
import { uuidv4 } from 'lib0/random';
import {
  addShape,
  byCreation,
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
  const [state, setState] = createStore<{ shapes: Shape[]; tags: string[] }>({ shapes: [], tags: [] });
  const refresh = () => setState('shapes', reconcile(byCreation(readShapes(doc).shapes).map((s, i) => ({ ...s, n: i + 1 })), { key: 'id' }));
  const refreshTags = () => setState('tags', readTags(doc));
  refresh();
  refreshTags();
  const offShapes = observeShapes(doc, refresh);
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
      return state.shapes;
    },
    get tags() {
      return state.tags;
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
