import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { judgeThreadChange, threadMessages } from './authorship.ts';
import { openThread, threadsMap } from './comments.ts';

const m = (id: string, author: string, text = 't', at = 1) => ({ id, author, text, at });

describe('judgeThreadChange', () => {
  it('lets a writer add, change and remove only its own messages', () => {
    expect(judgeThreadChange('t', [m('1', 'a')], [m('1', 'a'), m('2', 'b')], 'b')).toEqual({ ok: true });
    expect(judgeThreadChange('t', [m('1', 'a'), m('2', 'b')], [m('1', 'a')], 'b')).toEqual({ ok: true });
    expect(judgeThreadChange('t', [m('1', 'a'), m('2', 'b')], [m('1', 'a'), m('2', 'b', 'edited')], 'b')).toEqual({ ok: true });
  });

  it('refuses a new message naming someone else, or nobody', () => {
    expect(judgeThreadChange('t', [], [m('1', 'a')], 'b')).toMatchObject({ ok: false, message: expect.stringContaining('author "a"') });
    expect(judgeThreadChange('t', [], [m('#0', '')], 'b')).toMatchObject({ ok: false, message: expect.stringContaining('no author') });
  });

  it('refuses changing, duplicating or removing another’s message', () => {
    expect(judgeThreadChange('t', [m('1', 'a')], [m('1', 'a', 'other')], 'b').ok).toBe(false);
    expect(judgeThreadChange('t', [m('1', 'a')], [m('1', 'a'), m('1', 'a')], 'b').ok).toBe(false);
    expect(judgeThreadChange('t', [m('1', 'a')], [], 'b')).toMatchObject({ ok: false, message: expect.stringContaining('changed or removed') });
  });

  it('reads messages with the client’s reader, whatever shape the thread has', () => {
    const doc = new Y.Doc();
    const id = openThread(doc, { anchor: { x: 1, y: 1 }, text: 'hi' }, { author: 'a', now: 5 });
    threadsMap(doc).set('plain', { anchor: { x: 1, y: 1 }, messages: [{ author: 'x', text: 'no id' }] });
    threadsMap(doc).set('broken', { messages: [{ author: 'x', text: 'no anchor' }] });
    expect(threadMessages(doc, id).map((x) => [x.author, x.text])).toEqual([['a', 'hi']]);
    expect(threadMessages(doc, 'plain')).toEqual([{ id: '#0', author: 'x', text: 'no id', at: 0 }]);
    expect(threadMessages(doc, 'broken')).toEqual([]);
    expect(threadMessages(doc, 'missing')).toEqual([]);
  });
});
