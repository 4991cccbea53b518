import { describe, expect, it } from 'vitest';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as syncProtocol from 'y-protocols/sync';
import * as Y from 'yjs';
import { addShape, deleteShape, readShapes } from '../../shared/doc/annotations.ts';
import { appliedMigrations, currentVersion, metaMap } from '../../shared/doc/migrations.ts';
import { META } from '../../shared/doc/schema.ts';
import { createSyncCore, type SyncOptions, type SyncPrincipal, type SyncTransport } from './core.ts';
import { CLOSE, MESSAGE, updateFrame } from './protocol.ts';
import { memoryUpdateStore as memoryStore } from '../adapters/memory/update-store.ts';
import type { UpdateStore } from '../ports/update-store.ts';

const DOC = 'ann:img1';

/** A transport that records frames and closes, and applies sync frames to a local doc like a client would. */
function fakeClient(events: string[] = [], name = 'c') {
  const doc = new Y.Doc();
  const frames: Uint8Array[] = [];
  let closedWith: number | null = null;
  let buffered = 0;
  const transport: SyncTransport = {
    send(frame) {
      events.push(`send:${name}`);
      frames.push(frame);
      const d = decoding.createDecoder(frame);
      if (decoding.readVarUint(d) === MESSAGE.sync) syncProtocol.readSyncMessage(d, encoding.createEncoder(), doc, 'server');
    },
    bufferedAmount: () => buffered,
    close(code) {
      closedWith = code;
    },
  };
  return {
    doc, frames, transport,
    get closedWith() { return closedWith; },
    setBuffered(n: number) { buffered = n; },
  };
}

const syncFrame = (write: (e: encoding.Encoder) => void) => {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, MESSAGE.sync);
  write(e);
  return encoding.toUint8Array(e);
};
const step1 = (doc: Y.Doc) => syncFrame((e) => syncProtocol.writeSyncStep1(e, doc));

/** An update frame that adds one shape, made on a scratch doc by `author` (the sending connection's user). */
function shapeUpdate(id: string, author = 'w') {
  const d = new Y.Doc();
  let update!: Uint8Array;
  d.on('update', (u: Uint8Array) => (update = u));
  addShape(d, { id, kind: 'point', label: 'c', points: [1, 2] }, { author });
  return updateFrame(update);
}

function core(opts: Partial<SyncOptions> = {}, store: UpdateStore = memoryStore()) {
  const c = createSyncCore({ store, log: () => {}, ...opts });
  /** Connects and waits until the document is loaded and the client greeted. */
  const join = async (docName: string, principal: SyncPrincipal, transport: SyncTransport) => {
    const conn = c.connect(docName, principal, transport);
    await conn.ready;
    return conn;
  };
  return { store, core: c, join };
}

/** Appends a document's updates as an editor's client would have written them. */
const seedLog = (store: UpdateStore, docName: string, updates: Uint8Array[]) => store.appendMany(updates.map((update) => ({ docName, update, userId: 'u' })));

describe('sync core', () => {
  it('answers the first frame from the document loaded from the store; frames sent while it loads wait', async () => {
    const { store, core: c } = core();
    const seed = new Y.Doc();
    const updates: Uint8Array[] = [];
    seed.on('update', (u: Uint8Array) => updates.push(u));
    addShape(seed, { id: 'a', kind: 'box', label: 'c', points: [0, 0, 1, 1] }, { author: 'u' });
    await seedLog(store, DOC, updates);
    const client = fakeClient();
    const conn = c.connect(DOC, { userId: 'u', access: 'write' }, client.transport);
    conn.receive(step1(client.doc)); // before the load finished
    expect(client.frames).toHaveLength(0);
    await conn.ready;
    expect(client.frames[0][0]).toBe(MESSAGE.sync);
    await c.flush();
    expect(readShapes(client.doc).shapes.map((s) => s.id)).toEqual(['a']);
    // the schema migration ran at load and was persisted without a user
    expect(await store.count(DOC)).toBe(2);
    await c.close();
  });

  it('appends an update (with its user) before relaying it, then calls onUpdate', async () => {
    const events: string[] = [];
    const base = memoryStore();
    const store: UpdateStore = { ...base, appendMany: (us) => (events.push(...us.map((u) => `append:${u.userId}`)), base.appendMany(us)) };
    const hook: string[] = [];
    const { core: c, join } = core({ onUpdate: (doc, user) => (hook.push(`${doc}:${user}:${base.rows.get(doc)?.length}`), events.push('hook')) }, store);
    const a = fakeClient(events, 'a');
    const b = fakeClient(events, 'b');
    const ca = await join(DOC, { userId: 'ua', access: 'write' }, a.transport);
    await join(DOC, { userId: 'ub', access: 'write' }, b.transport);
    await c.flush();
    events.length = 0;
    ca.receive(shapeUpdate('s1', 'ua'));
    expect(events).toEqual([]); // nothing relayed before its group is durable
    await c.flush();
    expect(events).toEqual(['append:ua', 'send:b', 'hook']);
    expect(hook).toEqual([`${DOC}:ua:2`]);
    expect(readShapes(b.doc).shapes.map((s) => s.id)).toEqual(['s1']);
    await c.close();
  });

  it('writes out a group\'s relays (the transports\' flush) before the after-update hooks run, in the same turn', async () => {
    const events: string[] = [];
    const { core: c, join } = core({ onUpdate: (_doc, user) => void events.push(`hook:${user}`) });
    const held = (name: string) => {
      const client = fakeClient(events, name);
      return { ...client, transport: { ...client.transport, flush: () => void events.push(`flush:${name}`) } };
    };
    const a = held('a');
    const b = held('b');
    const ca = await join(DOC, { userId: 'ua', access: 'write' }, a.transport);
    const cb = await join(DOC, { userId: 'ub', access: 'write' }, b.transport);
    await c.flush();
    events.length = 0;
    ca.receive(shapeUpdate('s1', 'ua'));
    cb.receive(shapeUpdate('s2', 'ub'));
    await c.flush();
    // one group: both relays, each transport flushed once (in no set order), then both hooks in arrival order
    expect(events.slice(0, 2)).toEqual(['send:b', 'send:a']);
    expect(events.slice(2, 4).sort()).toEqual(['flush:a', 'flush:b']);
    expect(events.slice(4)).toEqual(['hook:ua', 'hook:ub']);
    expect(readShapes(b.doc).shapes.map((s) => s.id)).toEqual(['s1']);
    expect(readShapes(a.doc).shapes.map((s) => s.id)).toEqual(['s2']);
    await c.close();
  });

  it('commits several connections\' updates as one group, relayed in arrival order after it is durable', async () => {
    const groups: string[][] = [];
    const base = memoryStore();
    const store: UpdateStore = { ...base, appendMany: (us) => (groups.push(us.map((u) => `${u.docName}:${u.userId}`)), base.appendMany(us)) };
    const { core: c, join } = core({}, store);
    const other = 'ann:img2';
    const a = fakeClient();
    const b = fakeClient();
    const r = fakeClient();
    const ca = await join(DOC, { userId: 'ua', access: 'write' }, a.transport);
    const cb = await join(other, { userId: 'ub', access: 'write' }, b.transport);
    const cr = await join(DOC, { userId: 'ur', access: 'read' }, r.transport);
    await c.flush();
    groups.length = 0;
    ca.receive(shapeUpdate('a1', 'ua'));
    cb.receive(shapeUpdate('b1', 'ub'));
    ca.receive(shapeUpdate('a2', 'ua'));
    cr.receive(step1(r.doc)); // its answer holds a1 and a2: it waits for them to be durable
    expect(readShapes(r.doc).shapes).toEqual([]);
    await c.flush();
    expect(groups).toEqual([[`${DOC}:ua`, `${other}:ub`, `${DOC}:ua`]]);
    expect(readShapes(r.doc).shapes.map((s) => s.id)).toEqual(['a1', 'a2']);
    expect(c.stats()).toMatchObject({ pendingAppends: 0, largestGroup: 3 });
    await c.close();
  });

  it('closes only the connection that sent a malformed, unknown, text-like or oversized frame', async () => {
    const { core: c, join } = core({ maxFrameBytes: 1000 });
    const good = fakeClient();
    const cg = await join(DOC, { userId: 'u', access: 'write' }, good.transport);
    const bad = [
      new Uint8Array([]),
      new Uint8Array([0]),
      new Uint8Array([0, 2, 5, 1, 2]), // update shorter than its length
      new Uint8Array([0, 9, 0]), // unknown sync message
      new Uint8Array([7]), // unknown message type
      new Uint8Array([1, 3, 1, 1, 1]), // awareness with a truncated entry
      new Uint8Array(1001),
    ];
    const codes = await Promise.all(bad.map(async (frame) => {
      const x = fakeClient();
      (await join(DOC, { userId: 'u', access: 'write' }, x.transport)).receive(frame);
      return x.closedWith;
    }));
    expect(codes).toEqual([CLOSE.badFrame, CLOSE.badFrame, CLOSE.badFrame, CLOSE.badFrame, CLOSE.badFrame, CLOSE.badFrame, CLOSE.tooLarge]);
    cg.receive(shapeUpdate('ok', 'u'));
    expect(good.closedWith).toBeNull();
    expect(readShapes(c.doc(DOC)!).shapes.map((s) => s.id)).toEqual(['ok']);
    expect(c.stats()).toMatchObject({ docs: 1, connections: 1 });
    await c.close();
  });

  it('disconnects a client whose send buffer passed the limit; the others keep receiving', async () => {
    const { core: c, join } = core({ maxBufferedBytes: 10_000 });
    const writer = fakeClient();
    const slow = fakeClient();
    const fast = fakeClient();
    const cw = await join(DOC, { userId: 'w', access: 'write' }, writer.transport);
    await join(DOC, { userId: 's', access: 'read' }, slow.transport);
    await join(DOC, { userId: 'f', access: 'read' }, fast.transport);
    slow.setBuffered(20_000);
    cw.receive(shapeUpdate('s1'));
    cw.receive(shapeUpdate('s2'));
    await c.flush();
    expect(slow.closedWith).toBe(CLOSE.slow);
    expect(readShapes(fast.doc).shapes).toHaveLength(2);
    expect(c.stats().connections).toBe(2);
    await c.close();
  });

  it('compacts past the threshold and unloads idle documents, reloading the same content', async () => {
    let now = 1_000;
    const { store, core: c, join } = core({ compactAfter: 10, compactQuietMs: 0, idleUnloadMs: 5_000, now: () => now });
    const w = fakeClient();
    const cw = await join(DOC, { userId: 'w', access: 'write' }, w.transport);
    for (let i = 0; i < 25; i++) cw.receive(shapeUpdate(`s${i}`));
    await c.flush();
    await new Promise((r) => setImmediate(r));
    await c.flush();
    expect(await store.count(DOC)).toBeLessThanOrEqual(11);
    const content = readShapes(c.doc(DOC)!);
    cw.closed();
    expect(c.unloadIdle()).toBe(0);
    now += 5_000;
    expect(c.unloadIdle()).toBe(1);
    expect(c.stats().docs).toBe(0);
    await c.flush();
    expect(await store.count(DOC)).toBe(1);
    const again = fakeClient();
    (await join(DOC, { userId: 'r', access: 'read' }, again.transport)).receive(step1(again.doc));
    expect(readShapes(again.doc)).toEqual(content);
    await c.close();
  });

  it('compacts a log past the threshold only once its writes paused, or at once past four times the threshold', async () => {
    let now = 1_000;
    const store = memoryStore();
    const compactions: string[] = [];
    let compacted = () => {};
    const spied: UpdateStore = { ...store, compact: (d, cur) => (compactions.push(d), compacted(), store.compact(d, cur)) };
    const { core: c, join } = core({ compactAfter: 10, compactQuietMs: 50, now: () => now }, spied);
    const cw = await join(DOC, { userId: 'w', access: 'write' }, fakeClient().transport);
    for (let i = 0; i < 25; i++) cw.receive(shapeUpdate(`s${i}`));
    await c.flush();
    now += 40; // still writing: the quiet period starts again
    cw.receive(shapeUpdate('s25'));
    await c.flush();
    now += 40;
    await new Promise((r) => setTimeout(r, 60)); // the timer fired; the document is 40 ms quiet of 50
    await c.flush();
    expect(compactions).toEqual([]);
    expect(await store.count(DOC)).toBeGreaterThan(26); // the shapes and the migration at load, uncompacted
    const done = new Promise<void>((r) => (compacted = r));
    now += 10;
    await done;
    await c.flush();
    expect(compactions).toEqual([DOC]);
    expect(await store.count(DOC)).toBe(1);

    // a log that passes four times the threshold in one burst is compacted without waiting
    const burst = new Promise<void>((r) => (compacted = r));
    for (let i = 0; i < 45; i++) cw.receive(shapeUpdate(`t${i}`));
    await burst;
    await c.flush();
    expect(compactions).toEqual([DOC, DOC]);
    expect(await store.count(DOC)).toBeLessThanOrEqual(5);
    expect(readShapes(c.doc(DOC)!).shapes).toHaveLength(71);
    await c.close();
  });

  it('hibernates an unused document to its encoded state, serves reads from it and wakes on a write', async () => {
    let now = 0;
    const { core: c, join } = core({ hibernateMs: 1000, now: () => now });
    const w = fakeClient();
    const cw = await join(DOC, { userId: 'w', access: 'write' }, w.transport);
    cw.receive(shapeUpdate('s1'));
    await c.flush();
    now += 1000;
    expect(c.hibernateIdle()).toBe(1);
    expect(c.stats()).toMatchObject({ docs: 1, hibernating: 1 });
    const r = fakeClient();
    (await join(DOC, { userId: 'r', access: 'read' }, r.transport)).receive(step1(r.doc));
    expect(readShapes(r.doc).shapes.map((s) => s.id)).toEqual(['s1']);
    expect(c.stats().hibernating).toBe(1);
    cw.receive(shapeUpdate('s2'));
    expect(c.stats().hibernating).toBe(0);
    await c.flush();
    expect(readShapes(r.doc).shapes.map((s) => s.id)).toEqual(['s1', 's2']);
    await c.close();
  });

  it('serves a compacted current document as stored, without waking it for a client that has nothing new', async () => {
    const { store, core: c, join } = core();
    const w = fakeClient();
    const cw = await join(DOC, { userId: 'w', access: 'write' }, w.transport);
    for (let i = 0; i < 5; i++) cw.receive(shapeUpdate(`s${i}`));
    cw.closed();
    expect(c.unloadIdle(true)).toBe(1);
    await c.flush();
    expect(await store.snapshot(DOC)).not.toBeNull();

    const r = fakeClient();
    const cr = await join(DOC, { userId: 'w', access: 'write' }, r.transport);
    expect(c.stats()).toMatchObject({ docs: 1, hibernating: 1 });
    cr.receive(step1(r.doc));
    cr.receive(syncFrame((e) => syncProtocol.writeSyncStep2(e, new Y.Doc()))); // a fresh client's empty step 2
    expect(readShapes(r.doc).shapes.map((s) => s.id)).toEqual(['s0', 's1', 's2', 's3', 's4']);
    expect(c.stats().hibernating).toBe(1);
    cr.receive(shapeUpdate('s5'));
    expect(c.stats().hibernating).toBe(0);
    await c.flush();
    expect(await store.count(DOC)).toBe(2);
    await c.close();
  });

  it('loads and migrates a compacted document of an older schema version instead of serving it as stored', async () => {
    const store = memoryStore();
    const old = new Y.Doc();
    addShape(old, { id: 'a', kind: 'point', label: 'c', points: [1, 2] }, { author: 'u' });
    await store.append(DOC, Y.encodeStateAsUpdate(old), 'u');
    await store.append(DOC, Y.encodeStateAsUpdate(new Y.Doc()), 'u');
    await store.compact(DOC); // schema version 0: written before any migration ran
    expect((await store.snapshot(DOC))?.schemaVersion).toBe(0);
    const { core: c, join } = core({}, store);
    const r = fakeClient();
    (await join(DOC, { userId: 'r', access: 'read' }, r.transport)).receive(step1(r.doc));
    expect(c.stats().hibernating).toBe(0);
    await c.flush();
    expect(await store.count(DOC)).toBe(2); // the migration's write
    expect(readShapes(r.doc).shapes.map((s) => s.id)).toEqual(['a']);
    await c.close();
  });

  it('keeps a stored document asleep when a returning client whose copy holds a deletion reconnects', async () => {
    const { store, core: c, join } = core();
    // the document as a browser made it (and keeps in IndexedDB): shapes, one deleted
    const local = new Y.Doc();
    const w = fakeClient();
    const cw = await join(DOC, { userId: 'w', access: 'write' }, w.transport);
    const send = (u: Uint8Array) => cw.receive(updateFrame(u));
    local.on('update', send);
    for (let i = 0; i < 3; i++) addShape(local, { id: `s${i}`, kind: 'point', label: 'c', points: [i, i] }, { author: 'w' });
    deleteShape(local, 's1');
    local.off('update', send);
    cw.closed();
    expect(c.unloadIdle(true)).toBe(1);
    await c.flush();
    const rows = await store.count(DOC);
    // a step 2 against the server's state vector repeats the whole delete set and nothing else
    const returning = async (userId: string, access: 'read' | 'write') => {
      const r = fakeClient();
      const conn = await join(DOC, { userId, access }, r.transport);
      const greeting = decoding.createDecoder(r.frames[0]); // sync step 1 with the server's state vector
      decoding.readVarUint(greeting);
      decoding.readVarUint(greeting);
      const serverSv = decoding.readVarUint8Array(greeting);
      conn.receive(step1(local));
      conn.receive(syncFrame((e) => syncProtocol.writeSyncStep2(e, local, serverSv)));
      return { r, conn };
    };
    const writer = await returning('w', 'write');
    const reader = await returning('r', 'read');
    expect(c.stats()).toMatchObject({ docs: 1, hibernating: 1 }); // served as stored, never woken
    expect(reader.r.frames.some((f) => f[0] === MESSAGE.auth)).toBe(false); // nothing to deny
    await c.flush();
    expect(await store.count(DOC)).toBe(rows);
    // the same after it was live once and went back to sleep (delete set taken from the live store)
    writer.conn.receive(shapeUpdate('s3'));
    expect(c.stats().hibernating).toBe(0);
    expect(c.hibernateIdle(true)).toBe(1);
    Y.applyUpdate(local, await c.encodedState(DOC)); // the client has s3 too
    await returning('w', 'write');
    expect(c.stats().hibernating).toBe(1);
    // a deletion the server has not seen is a real write: it wakes the document and is stored
    await c.flush();
    const before = await store.count(DOC);
    const other = new Y.Doc();
    Y.applyUpdate(other, await c.encodedState(DOC));
    const again = fakeClient();
    const conn = await join(DOC, { userId: 'w', access: 'write' }, again.transport);
    other.on('update', (u: Uint8Array) => conn.receive(updateFrame(u)));
    deleteShape(other, 's2');
    expect(c.stats().hibernating).toBe(0);
    await c.flush();
    expect(await store.count(DOC)).toBe(before + 1);
    expect(readShapes(c.doc(DOC)!).shapes.map((s) => s.id)).toEqual(['s0', 's3']);
    await c.close();
  });

  it('takes the schema version from the recorded migration ids, not from meta.version (any writer can set it)', async () => {
    const store = memoryStore();
    const forged = new Y.Doc();
    addShape(forged, { id: 'a', kind: 'point', label: 'c', points: [1, 2] }, { author: 'u' });
    metaMap(forged).set(META.version, currentVersion('ann')); // claims to be current, but no migration ran
    await store.append(DOC, Y.encodeStateAsUpdate(forged), 'u');
    await store.append(DOC, Y.encodeStateAsUpdate(new Y.Doc()), 'u');
    await store.compact(DOC);
    expect((await store.snapshot(DOC))?.schemaVersion).toBe(0);
    const { core: c, join } = core({}, store);
    const r = fakeClient();
    (await join(DOC, { userId: 'r', access: 'read' }, r.transport)).receive(step1(r.doc));
    expect(c.stats().hibernating).toBe(0); // loaded and migrated, not served as stored
    expect(appliedMigrations(c.doc(DOC)!)).toEqual(['ann/1-init']);
    // and what it writes when it compacts from memory is the derived version too
    await c.compact(DOC);
    expect((await store.snapshot(DOC))?.schemaVersion).toBe(currentVersion('ann'));
    await c.close();
  });

  it('on a storage failure, relays nothing and unloads the document so clients resend', async () => {
    const base = memoryStore();
    let fail = false;
    const store: UpdateStore = { ...base, appendMany: async (us) => { if (fail) throw new Error('disk full'); await base.appendMany(us); } };
    const { core: c, join } = core({}, store);
    const a = fakeClient();
    const b = fakeClient();
    const ca = await join(DOC, { userId: 'a', access: 'write' }, a.transport);
    await join(DOC, { userId: 'b', access: 'write' }, b.transport);
    await c.flush();
    fail = true;
    ca.receive(shapeUpdate('lost', 'a'));
    await c.flush();
    expect(readShapes(b.doc).shapes).toEqual([]);
    await Promise.resolve();
    expect([a.closedWith, b.closedWith]).toEqual([CLOSE.internal, CLOSE.internal]);
    expect(c.stats().docs).toBe(0);
    fail = false;
    const r = fakeClient();
    (await join(DOC, { userId: 'r', access: 'read' }, r.transport)).receive(step1(r.doc));
    expect(readShapes(r.doc).shapes).toEqual([]);
    await c.close();
  });

  it('refuses a connection with 1011 when its document cannot be loaded, and loads it on the next try', async () => {
    const base = memoryStore();
    let fail = true;
    const store: UpdateStore = { ...base, snapshot: async (d) => { if (fail) throw new Error('disk gone'); return base.snapshot(d); } };
    const { core: c, join } = core({}, store);
    const x = fakeClient();
    await join(DOC, { userId: 'u', access: 'write' }, x.transport);
    expect(x.closedWith).toBe(CLOSE.internal);
    expect(x.frames).toHaveLength(0);
    fail = false;
    const y = fakeClient();
    await join(DOC, { userId: 'u', access: 'write' }, y.transport);
    expect(y.closedWith).toBeNull();
    expect(y.frames[0][0]).toBe(MESSAGE.sync);
    await c.close();
  });
});
