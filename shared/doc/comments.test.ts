import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { observeThreads, openThread, postMessage, readThreads, resolveThread } from './comments.ts';
import { ROOT, THREAD } from './schema.ts';

describe('comment accessors', () => {
  it('opens threads on shapes and points, posts and resolves', () => {
    const doc = new Y.Doc();
    const t1 = openThread(doc, { id: 't1', anchor: { shapeId: 's1' }, text: 'too loose' }, { author: 'rev', now: 1 });
    const t2 = openThread(doc, { id: 't2', anchor: { x: 3.5, y: 4 }, text: 'missed one here' }, { author: 'rev', now: 2 });
    expect(postMessage(doc, t1, 'fixed', { author: 'ann', now: 3 })).toBe(true);
    expect(resolveThread(doc, t1)).toBe(true);
    expect(postMessage(doc, 'nope', 'x', { author: 'ann' })).toBe(false);
    const { threads, problems } = readThreads(doc);
    expect(problems).toEqual([]);
    expect(threads.map((t) => [t.id, t.resolved, t.anchor, t.messages.map((m) => [m.author, m.text, m.at])])).toEqual([
      [t1, true, { shapeId: 's1' }, [['rev', 'too loose', 1], ['ann', 'fixed', 3]]],
      [t2, false, { x: 3.5, y: 4 }, [['rev', 'missed one here', 2]]],
    ]);
    expect(() => openThread(doc, { anchor: { x: NaN, y: 0 }, text: 'x' }, { author: 'a' })).toThrow(/finite/);
  });

  it('keeps concurrent messages from both peers', () => {
    const a = new Y.Doc();
    const b = new Y.Doc();
    const t = openThread(a, { anchor: { shapeId: 's' }, text: 'q' }, { author: 'a' });
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
    postMessage(a, t, 'from a', { author: 'a' });
    postMessage(b, t, 'from b', { author: 'b' });
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
    Y.applyUpdate(a, Y.encodeStateAsUpdate(b));
    expect(readThreads(a)).toEqual(readThreads(b));
    expect(readThreads(a).threads[0].messages.map((m) => m.text).sort()).toEqual(['from a', 'from b', 'q']);
  });

  it('restores threads with bad anchors or junk messages without throwing', () => {
    const doc = new Y.Doc();
    const threads = doc.getMap<unknown>(ROOT.threads);
    const bad = new Y.Map<unknown>();
    bad.set(THREAD.anchor, { x: Infinity, y: 0 });
    threads.set('bad', bad);
    const junk = new Y.Map<unknown>();
    const msgs = new Y.Array<unknown>();
    msgs.push([42, { text: 'ok' }, null, { text: 7 }]);
    junk.set(THREAD.anchor, { shapeId: 's' });
    junk.set(THREAD.messages, msgs);
    threads.set('junk', junk);
    threads.set('str', 'x');
    const r = readThreads(doc);
    expect(r.problems.map((p) => [p.path, p.code])).toEqual([['threads/bad', 'bad_anchor'], ['threads/str', 'not_a_map']]);
    expect(r.threads).toEqual([{ id: 'junk', anchor: { shapeId: 's' }, resolved: false, messages: [{ id: '#1', author: '', text: 'ok', at: 0 }] }]);
  });

  it('observes thread changes', () => {
    const doc = new Y.Doc();
    const seen: string[][] = [];
    const off = observeThreads(doc, (c) => seen.push([...c.ids]));
    const t = openThread(doc, { id: 't', anchor: { shapeId: 's' }, text: 'q' }, { author: 'a' });
    postMessage(doc, t, 'r', { author: 'b' });
    resolveThread(doc, t);
    off();
    expect(seen).toEqual([['t'], ['t'], ['t']]);
  });
});
