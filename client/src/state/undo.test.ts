// Guarded undo with two users on one image (documents synced by hand): each Ctrl+Z reverses
// exactly one of A's own actions and never removes or reverts B's later change.
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { addShape, moveShape, readShape, readShapes, shapesMap } from '../../../shared/doc/index.ts';
import { guardedUndo } from './undo.ts';

const sync = (a: Y.Doc, b: Y.Doc) => {
  Y.applyUpdate(b, Y.encodeStateAsUpdate(a, Y.encodeStateVector(b)), 'remote');
  Y.applyUpdate(a, Y.encodeStateAsUpdate(b, Y.encodeStateVector(a)), 'remote');
};

function userA() {
  const doc = new Y.Doc();
  const origin = { local: 'a' };
  const undo = guardedUndo([shapesMap(doc)], origin, (id) => JSON.stringify(readShape(doc, id)));
  const drawBox = (x: number) => undo.run('draw box', [`box${x}`], () => addShape(doc, { id: `box${x}`, kind: 'box', label: 'c', points: [x, x, 10, 10] }, { author: 'a', origin }));
  const move = (id: string, x: number) => undo.run('move box', [id], () => moveShape(doc, id, [x, x, 10, 10], { author: 'a', origin }));
  return { doc, undo, drawBox, move };
}
const ids = (doc: Y.Doc) => readShapes(doc).shapes.map((s) => s.id).sort();

describe('guarded undo', () => {
  it('three boxes drawn in quick succession take three undos', () => {
    const a = userA();
    a.drawBox(1);
    a.drawBox(2);
    a.drawBox(3);
    expect(a.undo.undo()).toEqual({ ok: true, what: 'draw box' });
    expect(ids(a.doc)).toEqual(['box1', 'box2']);
    a.undo.undo();
    a.undo.undo();
    expect(ids(a.doc)).toEqual([]);
    expect(a.undo.undo()).toEqual({ ok: false, reason: 'empty' });
    expect(a.undo.redo()).toEqual({ ok: true, what: 'draw box' });
    expect(ids(a.doc)).toEqual(['box1']);
  });

  it("undoing a draw after B edited that box changes nothing and says so", () => {
    const a = userA();
    const b = new Y.Doc();
    a.drawBox(1);
    sync(a.doc, b);
    moveShape(b, 'box1', [50, 50, 10, 10], { author: 'b' });
    sync(a.doc, b);
    expect(a.undo.undo()).toEqual({ ok: false, reason: 'conflict', what: 'draw box' });
    sync(a.doc, b);
    expect(readShape(b, 'box1')?.points).toEqual([50, 50, 10, 10]);
    expect(readShape(a.doc, 'box1')?.points).toEqual([50, 50, 10, 10]);
  });

  it("A's undo after B moved A's box neither reverts B's move nor deletes A's older box", () => {
    const a = userA();
    const b = new Y.Doc();
    a.drawBox(1);
    a.drawBox(2);
    a.move('box2', 20);
    sync(a.doc, b);
    moveShape(b, 'box2', [70, 70, 10, 10], { author: 'b' });
    sync(a.doc, b);
    expect(a.undo.undo()).toMatchObject({ ok: false, reason: 'conflict', what: 'move box' });
    expect(ids(a.doc)).toEqual(['box1', 'box2']);
    expect(readShape(a.doc, 'box2')?.points).toEqual([70, 70, 10, 10]);
    // The blocked step is dropped: the next undo is A's previous action (drawing box2), which B's
    // later move also protects; then drawing box1, which nobody touched.
    expect(a.undo.undo()).toMatchObject({ ok: false, reason: 'conflict', what: 'draw box' });
    expect(a.undo.undo()).toEqual({ ok: true, what: 'draw box' });
    sync(a.doc, b);
    expect(ids(b)).toEqual(['box2']);
    expect(readShape(b, 'box2')?.points).toEqual([70, 70, 10, 10]);
  });

  it('redo is guarded the same way', () => {
    const a = userA();
    const b = new Y.Doc();
    a.drawBox(1);
    a.move('box1', 30);
    a.undo.undo();
    sync(a.doc, b);
    moveShape(b, 'box1', [90, 90, 10, 10], { author: 'b' });
    sync(a.doc, b);
    expect(a.undo.redo()).toMatchObject({ ok: false, reason: 'conflict', what: 'move box' });
    expect(readShape(a.doc, 'box1')?.points).toEqual([90, 90, 10, 10]);
  });
});
