// A connection may write only its own user id as an author, and may not remove other users'
// messages: the update is dropped (nothing stored, nothing relayed) and the connection closed.
import { describe, expect, it } from 'vitest';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as syncProtocol from 'y-protocols/sync';
import * as Y from 'yjs';
import { addShape, deleteShape, readShapes, relabelShape, shapesMap, updateShape } from '../../shared/doc/annotations.ts';
import { openThread, postMessage, readThreads, threadsMap } from '../../shared/doc/comments.ts';
import { THREAD } from '../../shared/doc/schema.ts';
import { createSyncCore, type SyncTransport } from './core.ts';
import { CLOSE, MESSAGE, updateFrame } from './protocol.ts';
import { memoryUpdateStore as memoryStore } from '../adapters/memory/update-store.ts';

const ANN = 'ann:img1';
const CMT = 'cmt:img1';

/** A connected client: its doc follows the server; `send(fn)` edits it and sends the update like y-websocket. */
function setup(docName: string) {
  const store = memoryStore();
  const core = createSyncCore({ store, log: () => {} });
  const connect = async (userId: string) => {
    const doc = new Y.Doc();
    const received: Uint8Array[] = [];
    const closed: Array<{ code: number; reason: string }> = [];
    const transport: SyncTransport = {
      send(frame) {
        received.push(frame);
        const d = decoding.createDecoder(frame);
        if (decoding.readVarUint(d) === MESSAGE.sync) {
          const reply = encoding.createEncoder();
          encoding.writeVarUint(reply, MESSAGE.sync);
          syncProtocol.readSyncMessage(d, reply, doc, 'server');
          if (encoding.length(reply) > 1) queue.push(encoding.toUint8Array(reply));
        }
      },
      bufferedAmount: () => 0,
      close: (code, reason) => void closed.push({ code, reason }),
    };
    const queue: Uint8Array[] = [];
    const conn = core.connect(docName, { userId, access: 'write' }, transport);
    await conn.ready;
    /** Hands the client's replies to the server until both sides are quiet (writes durable, relays delivered). */
    const pump = async () => {
      do {
        while (queue.length) conn.receive(queue.shift()!);
        await core.flush();
      } while (queue.length);
    };
    const step1 = encoding.createEncoder();
    encoding.writeVarUint(step1, MESSAGE.sync);
    syncProtocol.writeSyncStep1(step1, doc);
    conn.receive(encoding.toUint8Array(step1));
    await pump();
    /** Runs `fn` on the client's doc and sends the resulting update as a sync update frame. */
    const send = async (fn: (doc: Y.Doc) => void) => {
      const updates: Uint8Array[] = [];
      const on = (u: Uint8Array, origin: unknown) => origin !== 'server' && updates.push(u);
      doc.on('update', on);
      fn(doc);
      doc.off('update', on);
      for (const u of updates) conn.receive(updateFrame(u));
      await pump();
    };
    return { doc, received, closed, conn, send, pump };
  };
  return { store, core, connect, rows: () => store.count(docName) };
}

describe('authorship check', () => {
  it('closes a connection that posts a message in another user’s name; nothing stored or relayed', async () => {
    const t = setup(CMT);
    const alice = await t.connect('alice');
    const bob = await t.connect('bob');
    let thread = '';
    await alice.send((d) => (thread = openThread(d, { anchor: { x: 1, y: 1 }, text: 'hi' }, { author: 'alice' })));
    expect(readThreads(bob.doc).threads[0].messages.map((m) => m.author)).toEqual(['alice']);
    await bob.send((d) => postMessage(d, thread, 'mine', { author: 'bob' })); // honest: fine
    const rows = await t.rows();
    const seen = alice.received.length;
    await bob.send((d) => postMessage(d, thread, 'I agree, delete it all', { author: 'alice' }));
    expect(bob.closed).toEqual([{ code: CLOSE.badFrame, reason: 'forged authorship' }]);
    expect(await t.rows()).toBe(rows);
    expect(alice.received.length).toBe(seen);
    expect(readThreads(t.core.doc(CMT)!).threads[0].messages.map((m) => [m.author, m.text])).toEqual([['alice', 'hi'], ['bob', 'mine']]);
    await t.core.close();
  });

  it('refuses messages in another’s name in every shape the client’s reader shows (string time, no id or time, plain-array list, plain-object thread, JSON content); nothing stored', async () => {
    const t = setup(CMT);
    const alice = await t.connect('alice');
    let thread = '';
    await alice.send((d) => (thread = openThread(d, { anchor: { x: 1, y: 1 }, text: 'hi' }, { author: 'alice' })));
    const messages = (d: Y.Doc) => (threadsMap(d).get(thread) as Y.Map<unknown>).get(THREAD.messages) as Y.Array<unknown>;
    const forged = { id: 'f1', author: 'reviewer', text: 'Looks good, approved', at: 1 };
    const forgeries: Array<[string, (d: Y.Doc) => void]> = [
      ['string at', (d) => messages(d).push([{ ...forged, at: String(Date.now()) }])],
      ['no id or at', (d) => messages(d).push([{ author: 'reviewer', text: 'Looks good, approved' }])],
      ['plain-array messages', (d) => {
        const th = new Y.Map<unknown>();
        th.set(THREAD.anchor, { x: 2, y: 2 });
        th.set(THREAD.messages, [forged]);
        threadsMap(d).set('t-array', th);
      }],
      ['plain-object thread', (d) => threadsMap(d).set('t-object', { anchor: { x: 3, y: 3 }, resolved: false, messages: [forged] })],
      ['JSON content', (d) => d.transact(() => {
        const list = messages(d);
        list.push([forged]);
        // the same value as a ContentJSON item (older Yjs wrote these; the reader shows them alike)
        let item = list._start;
        while (item?.right) item = item.right;
        item!.content = new Y.ContentJSON([forged]);
      })],
    ];
    const rows = await t.rows();
    const results = [];
    for (const [what, forge] of forgeries) {
      const bob = await t.connect('bob');
      const seen = alice.received.length;
      await bob.send(forge);
      results.push({ what, closed: bob.closed, relayed: alice.received.length - seen });
    }
    expect(results).toEqual(forgeries.map(([what]) => ({ what, closed: [{ code: CLOSE.badFrame, reason: 'forged authorship' }], relayed: 0 })));
    expect(await t.rows()).toBe(rows);
    expect(readThreads(t.core.doc(CMT)!).threads.map((th) => th.messages.map((m) => [m.author, m.text]))).toEqual([[['alice', 'hi']]]);
    // the same shapes in one's own name are fine
    const rev = await t.connect('reviewer');
    await rev.send((d) => threadsMap(d).set('t-own', { anchor: { x: 3, y: 3 }, resolved: false, messages: [forged] }));
    expect(rev.closed).toEqual([]);
    expect(readThreads(alice.doc).threads.map((th) => th.id).sort()).toEqual([thread, 't-own'].sort());
    await t.core.close();
  });

  it('closes a connection that opens a thread in another user’s name', async () => {
    const t = setup(CMT);
    const bob = await t.connect('bob');
    await bob.send((d) => openThread(d, { anchor: { x: 1, y: 1 }, text: 'forged' }, { author: 'alice' }));
    expect(bob.closed.map((c) => c.code)).toEqual([CLOSE.badFrame]);
    expect(readThreads(t.core.doc(CMT)!).threads).toEqual([]);
    expect(await t.rows()).toBe(1); // the migration's row only
    await t.core.close();
  });

  it('refuses deleting or rewriting another user’s message, allows deleting one’s own', async () => {
    const t = setup(CMT);
    const alice = await t.connect('alice');
    const bob = await t.connect('bob');
    let thread = '';
    await alice.send((d) => (thread = openThread(d, { anchor: { x: 1, y: 1 }, text: 'a1' }, { author: 'alice' })));
    await bob.send((d) => postMessage(d, thread, 'b1', { author: 'bob' }));
    const messages = (d: Y.Doc) => (threadsMap(d).get(thread) as Y.Map<unknown>).get(THREAD.messages) as Y.Array<unknown>;
    await bob.send((d) => messages(d).delete(1, 1)); // his own
    expect(bob.closed).toEqual([]);
    expect(readThreads(alice.doc).threads[0].messages.map((m) => m.text)).toEqual(['a1']);
    const rows = await t.rows();
    await bob.send((d) => messages(d).delete(0, 1)); // alice's
    expect(bob.closed.map((c) => c.reason)).toEqual(['forged authorship']);
    expect(await t.rows()).toBe(rows);
    expect(readThreads(t.core.doc(CMT)!).threads[0].messages.map((m) => m.text)).toEqual(['a1']);

    // replacing the whole messages list (or the thread) removes alice's message too
    const carol = await t.connect('carol');
    await carol.send((d) => (threadsMap(d).get(thread) as Y.Map<unknown>).set(THREAD.messages, new Y.Array()));
    expect(carol.closed.map((c) => c.code)).toEqual([CLOSE.badFrame]);
    const dave = await t.connect('dave');
    await dave.send((d) => threadsMap(d).delete(thread));
    expect(dave.closed.map((c) => c.code)).toEqual([CLOSE.badFrame]);
    expect(readThreads(t.core.doc(CMT)!).threads[0].messages.map((m) => m.text)).toEqual(['a1']);
    await t.core.close();
  });

  it('leaves shapes alone: others may edit and delete them, and undoing a deletion restores the creator', async () => {
    const t = setup(ANN);
    const ann = await t.connect('annotator');
    const rev = await t.connect('reviewer');
    await ann.send((d) => {
      addShape(d, { id: 's1', kind: 'point', label: 'c', points: [1, 1] }, { author: 'annotator' });
      addShape(d, { id: 's2', kind: 'point', label: 'c', points: [2, 2] }, { author: 'annotator' });
    });
    await rev.send((d) => relabelShape(d, 's1', 'c2', { author: 'reviewer' }));
    await rev.send((d) => updateShape(d, 's1', { attrs: { author: 'Rembrandt', note: { id: 'x', author: 'y', text: 'not a message', at: 'now' } } }, { author: 'reviewer' }));
    // The reviewer deletes the annotator's shape, then undoes it (Ctrl+Z in the web app).
    const undo = new Y.UndoManager(shapesMap(rev.doc), { trackedOrigins: new Set([null]) });
    await rev.send((d) => deleteShape(d, 's2'));
    await rev.send(() => undo.undo());
    expect(rev.closed).toEqual([]);
    expect(readShapes(t.core.doc(ANN)!).shapes.map((s) => [s.id, s.label, s.author])).toEqual([
      ['s1', 'c2', 'annotator'],
      ['s2', 'c', 'annotator'],
    ]);
    await t.core.close();
  });

  it('lets server writes (imports) set any author', async () => {
    const t = setup(ANN);
    await t.core.change(ANN, 'manager', (d) => addShape(d, { id: 'imp', kind: 'point', label: 'c', points: [1, 1] }, { author: 'someone-else' }));
    expect(readShapes(t.core.doc(ANN)!).shapes.map((s) => s.author)).toEqual(['someone-else']);
    await t.core.close();
  });

  it('drops an update that builds on content the server lacks and asks once for a step 2, which brings both', async () => {
    const t = setup(ANN);
    const a = await t.connect('annotator');
    // An edit the server has not seen (made before the client's step 2, say), then one building on it.
    addShape(a.doc, { id: 'x', kind: 'point', label: 'c', points: [1, 1] }, { author: 'annotator' });
    const sent = a.received.length;
    const rows = await t.rows();
    await a.send((d) => relabelShape(d, 'x', 'c2', { author: 'annotator' }));
    expect(a.closed).toEqual([]);
    expect(a.received.length).toBe(sent + 1); // one sync step 1; the client's answer carried both edits
    expect(await t.rows()).toBe(rows + 1);
    expect(readShapes(t.core.doc(ANN)!).shapes.map((s) => [s.id, s.label])).toEqual([['x', 'c2']]);
    await t.core.close();
  });
});
