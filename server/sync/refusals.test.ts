// What the sync server refuses, against the real server and real sockets (docs/sync.md "What the
// server refuses"): attacks on other users' future and offline edits, frames whose cost multiplies,
// quotas; and that honest clients (one user on two devices, a tab back from a long offline spell)
// are never refused.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { performance } from 'node:perf_hooks';
import * as encoding from 'lib0/encoding';
import { WebSocket } from 'ws';
import { Awareness, encodeAwarenessUpdate } from 'y-protocols/awareness';
import * as syncProtocol from 'y-protocols/sync';
import * as Y from 'yjs';
import { addShape, deleteShape, moveShape, readShapes, shapesMap } from '../../shared/doc/annotations.ts';
import { SYNC_LIMITS } from './guards/limits.ts';
import { startSyncTestServer, type SyncTestServer } from '../testing/sync-server.ts';
import { deleteOnlyUpdate, gcClaimUpdate } from '../testing/updates.ts';
import { docUpdates, until } from '../testing/wait.ts';
import { connectSyncClient, syncServerUrl, type SyncClient } from './client.ts';
import { CLOSE, MESSAGE, SYNC, updateFrame } from './protocol.ts';
import { applyLog } from '../../shared/doc/log.ts';
import { sqliteUpdateStore } from '../adapters/sqlite/update-store.ts';

/** A raw socket: every frame the server sends, and how it closed. */
function raw(t: SyncTestServer, docName: string, token: string) {
  const ws = new WebSocket(`${syncServerUrl(t.url)}/${docName}?token=${token}`);
  const frames: Uint8Array[] = [];
  const listeners = new Set<() => void>();
  ws.on('message', (d: Buffer) => {
    frames.push(new Uint8Array(d));
    listeners.forEach((f) => f());
  });
  const closed = new Promise<{ code: number; reason: string }>((resolve) => ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() })));
  const opened = new Promise<void>((resolve, reject) => (ws.on('open', () => resolve()), ws.on('error', reject)));
  const send = (frame: Uint8Array) => new Promise<void>((resolve) => ws.send(frame, () => resolve()));
  const frameWatch = (recheck: () => void) => (listeners.add(recheck), () => listeners.delete(recheck));
  return { ws, frames, closed, opened, send, frameWatch };
}

const syncFrame = (write: (e: encoding.Encoder) => void) => {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, MESSAGE.sync);
  write(e);
  return encoding.toUint8Array(e);
};
const step1Frame = (sv: Uint8Array) => syncFrame((e) => (encoding.writeVarUint(e, SYNC.step1), encoding.writeVarUint8Array(e, sv)));
/** Rows of a document's log, as the server's store has them (journaled appends included). */
const rowsOf = async (t: SyncTestServer, doc: string) => (await sqliteUpdateStore(t.server.db).loadRows(doc)).length;

describe('what the sync server refuses', () => {
  let t: SyncTestServer;
  const clients: SyncClient[] = [];
  const sockets: WebSocket[] = [];
  const start = async (limits = SYNC_LIMITS) => (t = await startSyncTestServer({ limits }));
  beforeEach(() => {
    t = undefined as unknown as SyncTestServer;
  });
  afterEach(async () => {
    clients.splice(0).forEach((c) => c.destroy());
    sockets.splice(0).forEach((s) => s.terminate());
    await t?.close();
  });
  const client = (token: string, docName: string, doc?: Y.Doc) => {
    const c = connectSyncClient({ url: t.url, docName, token, doc, maxBackoffTime: 100 });
    clients.push(c);
    return c;
  };
  const attacker = async (docName: string, token: string) => {
    const s = raw(t, docName, token);
    sockets.push(s.ws);
    await s.opened;
    return s;
  };
  const ids = (doc: Y.Doc) => readShapes(doc).shapes.map((s) => s.id).sort();

  it('refuses deleting or claiming another user’s future clocks (4400); the victim’s offline edits arrive intact', async () => {
    await start();
    const doc = `ann:${t.seed.images.assigned}`;
    const { annotator, reviewer } = t.seed.users;
    const victim = client(t.seed.tokens.annotator, doc);
    const watcher = client(t.seed.tokens.manager, doc);
    await Promise.all([victim.synced(), watcher.synced()]);
    addShape(victim.doc, { id: 'v0', kind: 'point', label: 'c', points: [0, 0] }, { author: annotator.id });
    const server = t.sync.core.doc(doc)!;
    await until(() => ids(server).includes('v0'), [docUpdates(server)], 5000, 'the victim’s first edit on the server');
    const v = victim.doc.clientID;
    const next = Y.getState(server.store, v);

    victim.provider.disconnect();
    for (let i = 1; i <= 3; i++) addShape(victim.doc, { id: `v${i}`, kind: 'point', label: 'c', points: [i, i] }, { author: annotator.id });
    await t.sync.core.flush();
    const rows = await rowsOf(t, doc);
    // (a) a delete set over the victim's next ten million clocks; (b) 10 bytes of GC claiming them
    const a = await attacker(doc, t.seed.tokens.reviewer);
    await a.send(updateFrame(deleteOnlyUpdate([[v, next, 10_000_000]])));
    const b = await attacker(doc, t.seed.tokens.reviewer);
    await b.send(updateFrame(gcClaimUpdate(v, next, 1_000_000)));
    expect(await a.closed).toEqual({ code: CLOSE.badFrame, reason: 'deletes or builds on content that does not exist' });
    expect(await b.closed).toEqual({ code: CLOSE.badFrame, reason: 'client id of another user' });
    await t.sync.core.flush();
    expect(await rowsOf(t, doc)).toBe(rows);
    expect(server.store.pendingDs).toBeNull();
    expect(Y.getState(server.store, v)).toBe(next);

    victim.provider.connect();
    const all = ['v0', 'v1', 'v2', 'v3'];
    await until(() => ids(watcher.doc).join() === all.join(), [docUpdates(watcher.doc)], 5000, 'the victim’s offline edits at another client');
    expect(ids(server)).toEqual(all);
    expect(ids(victim.doc)).toEqual(all);
    await t.sync.core.flush();
    // and in the log, under the victim's name
    const users = new Set((await sqliteUpdateStore(t.server.db).loadRows(doc)).map((r) => r.userId).filter((u) => u !== null));
    expect([...users]).toEqual([annotator.id]);
  });

  it('refuses a repeated-range delete set (4400) while another client’s edit relays within 50 ms of a normal relay', async () => {
    await start();
    const doc = `ann:${t.seed.images.assigned}`;
    const TOMBSTONES = 20_000;
    const REPEATS = 3_000;
    // a document with many tombstones: map entries set and deleted (they do not merge)
    const { manager } = t.seed.users;
    await t.sync.core.change(doc, manager.id, (d) => {
      for (let i = 0; i < TOMBSTONES; i++) d.getMap('scratch').set(`k${i}`, i);
    });
    await t.sync.core.change(doc, manager.id, (d) => {
      for (let i = 0; i < TOMBSTONES; i++) d.getMap('scratch').delete(`k${i}`);
    });
    const server = t.sync.core.doc(doc)!;
    const owner = server.clientID;
    const from = client(t.seed.tokens.annotator, doc);
    const to = client(t.seed.tokens.manager, doc);
    await Promise.all([from.synced(), to.synced()]);
    const relay = async (id: string) => {
      const t0 = performance.now();
      addShape(from.doc, { id, kind: 'point', label: 'c', points: [1, 1] }, { author: t.seed.users.annotator.id });
      await until(() => shapesMap(to.doc).has(id), [docUpdates(to.doc)], 30_000, `shape ${id} at the other client`);
      return performance.now() - t0;
    };
    // Relay times on this (shared, loaded) machine vary by tens of ms: compare medians of five
    // relays without and five right after the frame, all in the same run.
    const median = (xs: number[]) => xs.slice().sort((a, b) => a - b)[xs.length >> 1];
    const warm: number[] = [];
    for (let i = 0; i < 5; i++) warm.push(await relay(`warm${i}`));
    const frame = updateFrame(deleteOnlyUpdate(Array.from({ length: REPEATS }, () => [owner, 0, TOMBSTONES * 2] as const)));
    const during: number[] = [];
    for (let i = 0; i < 5; i++) {
      // a writer and a read-only connection send it; the honest edit goes right after
      const writer = await attacker(doc, t.seed.tokens.reviewer);
      const reader = await attacker(doc, t.seed.tokens.qa);
      await Promise.all([writer.send(frame), reader.send(frame)]);
      during.push(await relay(`during${i}`));
      expect((await writer.closed).code).toBe(CLOSE.badFrame);
      expect((await reader.closed).code).toBe(CLOSE.badFrame);
    }
    const baseline = median(warm);
    const blocked = median(during);
    console.log(`repeated-range frame (${frame.byteLength} B, ${REPEATS} × ${TOMBSTONES * 2} clocks): relay median ${blocked.toFixed(1)} ms [${during.map((x) => x.toFixed(1)).join(', ')}], baseline median ${baseline.toFixed(1)} ms [${warm.map((x) => x.toFixed(1)).join(', ')}]`);
    // The frame may cost its own decode, not a block of others: within 50 ms of a normal relay.
    // (Before the fix one such frame held the relay for about 6 s.)
    expect(blocked).toBeLessThan(baseline + 50);
  });

  it('refuses a document past its size limit with 4413 and a message the client shows; nothing stored', async () => {
    await start({ ...SYNC_LIMITS, maxDocBytes: 64 * 1024 });
    const doc = `ann:${t.seed.images.assigned}`;
    const c = client(t.seed.tokens.annotator, doc);
    await c.synced();
    addShape(c.doc, { id: 'small', kind: 'point', label: 'c', points: [1, 1] }, { author: t.seed.users.annotator.id });
    const server = t.sync.core.doc(doc)!;
    await until(() => ids(server).includes('small'), [docUpdates(server)], 5000, 'a small edit on the server');
    addShape(c.doc, { id: 'big', kind: 'point', label: 'c', points: [1, 1], attrs: { note: 'x'.repeat(100_000) } }, { author: t.seed.users.annotator.id });
    const closed = await c.closed;
    expect(closed.code).toBe(CLOSE.tooLarge);
    expect(closed.reason).toMatch(/document size limit reached \(0\.1 MiB\)/);
    expect(ids(server)).toEqual(['small']);
    const stored = new Y.Doc();
    applyLog(stored, await sqliteUpdateStore(t.server.db).load(doc));
    expect(ids(stored)).toEqual(['small']);
  });

  it('keeps at most a few small awareness states per connection, and answers a repeated step 1 once per state', async () => {
    await start();
    const doc = `ann:${t.seed.images.assigned}`;
    const me = t.seed.users.reviewer.id;
    const peer = client(t.seed.tokens.manager, doc);
    await peer.synced();
    const flood = await attacker(doc, t.seed.tokens.reviewer);
    const states = new Awareness(new Y.Doc());
    const entries = Array.from({ length: 50 }, (_, i) => i + 1000);
    for (const id of entries) states.states.set(id, { user: { id: me }, n: id });
    states.states.set(5000, { user: { id: me }, blob: 'x'.repeat(100_000) });
    for (const id of [...entries, 5000]) states.meta.set(id, { clock: 1, lastUpdated: 0 });
    const e = encoding.createEncoder();
    encoding.writeVarUint(e, MESSAGE.awareness);
    encoding.writeVarUint8Array(e, encodeAwarenessUpdate(states, [...entries, 5000]));
    await flood.send(encoding.toUint8Array(e));
    const theirs = () => [...peer.provider.awareness.getStates().keys()].filter((k) => k !== peer.doc.clientID);
    await until(() => theirs().length > 0, [(f) => (peer.provider.awareness.on('change', f), () => peer.provider.awareness.off('change', f))], 5000, 'presence at the peer');
    expect(theirs().sort()).toEqual(entries.slice(0, SYNC_LIMITS.maxAwarenessClients));

    // a read-only connection repeating step 1: one answer, then the permission-denied message for an update
    const reader = await attacker(doc, t.seed.tokens.qa);
    const empty = Y.encodeStateVector(new Y.Doc());
    for (let i = 0; i < 20; i++) await reader.send(step1Frame(empty));
    const other = new Y.Doc();
    let change!: Uint8Array;
    other.on('update', (u: Uint8Array) => (change = u));
    addShape(other, { kind: 'point', label: 'c', points: [1, 1] }, { author: t.seed.users.qa.id });
    await reader.send(updateFrame(change));
    const kinds = () => reader.frames.map((f) => (f[0] === MESSAGE.sync ? `sync${f[1]}` : f[0] === MESSAGE.auth ? 'denied' : 'other'));
    await until(() => kinds().includes('denied'), [reader.frameWatch], 5000, 'the permission-denied message');
    expect(kinds().filter((k) => k === `sync${SYNC.step2}`)).toHaveLength(1);
  });

  it('never refuses one user on two devices, nor a tab back from a long offline spell', async () => {
    await start();
    const doc = `ann:${t.seed.images.assigned}`;
    const { annotator, reviewer } = t.seed.users;
    const laptop = client(t.seed.tokens.annotator, doc);
    const tablet = client(t.seed.tokens.annotator, doc);
    const other = client(t.seed.tokens.reviewer, doc);
    await Promise.all([laptop.synced(), tablet.synced(), other.synced()]);
    expect(laptop.doc.clientID).not.toBe(tablet.doc.clientID);
    addShape(laptop.doc, { id: 'l1', kind: 'point', label: 'c', points: [1, 1] }, { author: annotator.id });
    addShape(tablet.doc, { id: 't1', kind: 'point', label: 'c', points: [2, 2] }, { author: annotator.id });
    addShape(other.doc, { id: 'r1', kind: 'point', label: 'c', points: [3, 3] }, { author: reviewer.id });
    const server = t.sync.core.doc(doc)!;
    await until(() => [laptop, tablet, other].every((c) => ids(c.doc).length === 3), [docUpdates(laptop.doc, tablet.doc, other.doc)], 5000, 'three shapes everywhere');

    // The tablet goes offline for a long spell: it edits, deletes the reviewer's shape and undoes a
    // deletion; meanwhile the others edit, the server compacts and puts the document to sleep.
    tablet.provider.disconnect();
    const undo = new Y.UndoManager(shapesMap(tablet.doc), { trackedOrigins: new Set([null]) });
    for (let i = 0; i < 50; i++) addShape(tablet.doc, { id: `off${i}`, kind: 'point', label: 'c', points: [i, i] }, { author: annotator.id });
    moveShape(tablet.doc, 'l1', [9, 9], { author: annotator.id });
    deleteShape(tablet.doc, 'r1');
    undo.stopCapturing();
    deleteShape(tablet.doc, 'off0');
    undo.undo(); // off0 is back
    for (let i = 0; i < 50; i++) addShape(laptop.doc, { id: `on${i}`, kind: 'point', label: 'c', points: [i, 0] }, { author: annotator.id });
    deleteShape(other.doc, 't1');
    await until(() => !ids(server).includes('t1') && ids(server).includes('on49'), [docUpdates(server)], 5000, () => `online edits on the server: ${ids(server).join()}`);
    await t.sync.core.compact(doc);
    t.sync.core.hibernateIdle(true);

    tablet.provider.connect();
    const expected = ['l1', ...Array.from({ length: 50 }, (_, i) => `off${i}`), ...Array.from({ length: 50 }, (_, i) => `on${i}`)].sort();
    const live = () => t.sync.core.doc(doc)!;
    await until(
      () => [laptop.doc, tablet.doc, other.doc].every((d) => ids(d).join() === expected.join()),
      [docUpdates(laptop.doc, tablet.doc, other.doc)], 10_000,
      () => `convergence (tablet has ${ids(tablet.doc).length}, laptop ${ids(laptop.doc).length})`,
    );
    expect(ids(live())).toEqual(expected);
    expect(readShapes(live()).shapes.find((s) => s.id === 'l1')?.points).toEqual([9, 9]);
    for (const c of [laptop, tablet, other]) expect(c.provider.wsconnected).toBe(true);
  });
});
