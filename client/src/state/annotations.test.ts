// The annotations state follows the document shape by shape: a change keeps every other shape
// object as it was (so the canvas and lists redraw only what changed), numbers follow creation
// order, and remote changes arrive the same way.
import { createRoot } from 'solid-js';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { addShape } from '../../../shared/doc/index.ts';
import type { DocConnection } from '../sync/connection.ts';
import { useAnnotations, type AnnotationsState } from './annotations.ts';

function open(doc: Y.Doc): { state: AnnotationsState; dispose(): void } {
  return createRoot((dispose) => ({ state: useAnnotations({ doc } as DocConnection, 'me'), dispose }));
}

describe('useAnnotations', () => {
  it('replaces only the shape that changed; numbers follow creation order', () => {
    const doc = new Y.Doc();
    const { state, dispose } = open(doc);
    const a = state.add({ kind: 'box', label: 'car', points: [0, 0, 10, 10] });
    const b = state.add({ kind: 'box', label: 'car', points: [20, 20, 10, 10] });
    const c = state.add({ kind: 'point', label: 'dog', points: [5, 5] });
    const before = state.shapes;
    expect(before.map((s) => [s.id, s.n])).toEqual([[a, 1], [b, 2], [c, 3]]);
    state.move(b, [30, 30, 10, 10]);
    const after = state.shapes;
    expect(after).not.toBe(before);
    expect(after[0]).toBe(before[0]);
    expect(after[2]).toBe(before[2]);
    expect(after[1]).toMatchObject({ id: b, n: 2, points: [30, 30, 10, 10] });
    state.remove(a);
    expect(state.shapes.map((s) => [s.id, s.n])).toEqual([[b, 1], [c, 2]]);
    expect(state.undo().ok).toBe(true);
    expect(state.shapes.map((s) => [s.id, s.n])).toEqual([[a, 1], [b, 2], [c, 3]]);
    dispose();
  });

  it('follows remote changes, and reads a large remote change in one go', () => {
    const doc = new Y.Doc();
    const { state, dispose } = open(doc);
    const remote = new Y.Doc();
    remote.transact(() => {
      for (let i = 0; i < 100; i++) addShape(remote, { id: `s${i}`, kind: 'box', label: 'car', points: [i, i, 5, 5] }, { author: 'other', now: 1000 + i });
    });
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(remote), 'remote');
    expect(state.shapes.map((s) => s.n)).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
    const first = state.shapes;
    const sv = Y.encodeStateVector(remote);
    remote.transact(() => addShape(remote, { id: 's-early', kind: 'point', label: 'car', points: [1, 1] }, { author: 'other', now: 10 }));
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(remote, sv), 'remote');
    // Created before all the others: it is #1 and every other number moves up by one.
    expect(state.shapes[0]).toMatchObject({ id: 's-early', n: 1 });
    expect(state.shapes[1]).toMatchObject({ id: 's0', n: 2 });
    expect(state.shapes[1]).not.toBe(first[0]);
    dispose();
  });
});
