// Bridges an `ann:` document to a Solid store: observe → reconcile the store → unobserve on
// cleanup. Components get plain shapes and intent functions; only shared/doc touches the maps.
import { onCleanup } from 'solid-js';
import { createStore, reconcile } from 'solid-js/store';
import * as Y from 'yjs';
import {
  addShape,
  deleteShape,
  moveShape,
  observeShapes,
  readShapes,
  relabelShape,
  shapesMap,
  type DocShape,
  type NewShape,
  type ShapeId,
} from '../../../shared/doc/index.ts';
import type { DocConnection } from '../sync/connection.ts';

export type Shape = DocShape;

export interface AnnotationsState {
  shapes: readonly Shape[];
  add(input: Omit<NewShape, 'id'>): ShapeId;
  move(id: ShapeId, points: readonly number[]): void;
  relabel(id: ShapeId, classId: string): void;
  remove(id: ShapeId): void;
  undo(): void;
  redo(): void;
}

/** Must be called inside a reactive owner (a component): it unobserves on cleanup. */
export function useAnnotations(conn: DocConnection, author: string): AnnotationsState {
  const origin = { local: 'tessera-ui' };
  const [state, setState] = createStore<{ shapes: Shape[] }>({ shapes: [] });
  const refresh = () => setState('shapes', reconcile(readShapes(conn.doc).shapes, { key: 'id' }));
  refresh();
  const off = observeShapes(conn.doc, refresh);
  const undoManager = new Y.UndoManager(shapesMap(conn.doc), { trackedOrigins: new Set([origin]) });
  onCleanup(() => {
    off();
    undoManager.destroy();
  });
  const meta = () => ({ author, origin });
  return {
    get shapes() {
      return state.shapes;
    },
    add: (input) => addShape(conn.doc, input, meta()),
    move: (id, points) => void moveShape(conn.doc, id, points, meta()),
    relabel: (id, classId) => void relabelShape(conn.doc, id, classId, meta()),
    remove: (id) => void deleteShape(conn.doc, id, { origin }),
    undo: () => void undoManager.undo(),
    redo: () => void undoManager.redo(),
  };
}
