import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import * as Y from 'yjs';
import { addShape, readShapes } from '../../shared/doc/annotations.ts';
import { startSyncTestServer, type SyncTestServer } from '../testing/sync-server.ts';
import { docUpdates, every, until } from '../testing/wait.ts';
import * as encoding from 'lib0/encoding';
import { Awareness, encodeAwarenessUpdate } from 'y-protocols/awareness';
import { connectSyncClient, fetchDoc, syncServerUrl, type SyncClient } from './client.ts';
import { CLOSE } from './protocol.ts';
import { startServer } from '../main.ts';
import { sqliteUpdateStore } from '../adapters/sqlite/update-store.ts';
import { seedProject, tempDir } from '../testing/fixtures.ts';

/** Opens a raw socket and collects everything the server sends until it closes. */
function rawSocket(url: string, headers: Record<string, string> = {}) {
  const ws = new WebSocket(url, { headers });
  const frames: Buffer[] = [];
  ws.on('message', (d) => frames.push(d as Buffer));
  const closed = new Promise<{ code: number; reason: string }>((resolve) => ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() })));
  const opened = new Promise<void>((resolve, reject) => {
    ws.on('open', () => resolve());
    ws.on('error', reject);
  });
  return { ws, frames, closed, opened };
}

describe('sync over WebSocket', () => {
  let t: SyncTestServer;
  const clients: SyncClient[] = [];
  beforeEach(async () => {
    t = await startSyncTestServer();
  });
  afterEach(async () => {
    clients.splice(0).forEach((c) => c.destroy());
    await t.close();
  });
  const client = (token: string, docName: string, doc?: Y.Doc) => {
    const c = connectSyncClient({ url: t.url, docName, token, doc, maxBackoffTime: 100 });
    clients.push(c);
    return c;
  };

  it('relays edits between two clients and persists them', async () => {
    const doc = `ann:${t.seed.images.assigned}`;
    const a = client(t.seed.tokens.annotator, doc);
    const b = client(t.seed.tokens.reviewer, doc);
    await Promise.all([a.synced(), b.synced()]);
    const id = addShape(a.doc, { kind: 'box', label: 'c1', points: [1, 2, 3, 4] }, { author: t.seed.users.annotator.id });
    await until(() => readShapes(b.doc).shapes.some((s) => s.id === id), [docUpdates(b.doc)], 5000, 'the shape at b');
    const rows = await sqliteUpdateStore(t.server.db).loadRows(doc);
    expect(rows.map((r) => r.userId)).toContain(t.seed.users.annotator.id);
    const fresh = await fetchDoc({ url: t.url, docName: doc, token: t.seed.tokens.manager });
    expect(readShapes(fresh).shapes.map((s) => s.id)).toEqual([id]);
  });

  it('refuses anonymous (4401), outsiders and unknown documents (4403) before any document byte', async () => {
    const doc = `ann:${t.seed.images.assigned}`;
    const base = syncServerUrl(t.url);
    const cases: Array<[string, number]> = [
      [`${base}/${doc}`, CLOSE.unauthenticated],
      [`${base}/${doc}?token=wrong`, CLOSE.unauthenticated],
      [`${base}/${doc}?token=${t.seed.tokens.outsider}`, CLOSE.forbidden],
      [`${base}/ann:nope?token=${t.seed.tokens.manager}`, CLOSE.forbidden],
      [`${base}/bogus?token=${t.seed.tokens.manager}`, CLOSE.forbidden],
      // annotator2 cannot see an image assigned to someone else
      [`${base}/${doc}?token=${t.seed.tokens.annotator2}`, CLOSE.forbidden],
    ];
    for (const [url, code] of cases) {
      const s = rawSocket(url);
      await s.opened; // accepted, then closed: browsers would retry an HTTP 401 forever
      expect((await s.closed).code, url).toBe(code);
      expect(s.frames, url).toEqual([]);
    }
    // y-websocket stops reconnecting on these codes
    const c = client(t.seed.tokens.outsider, doc);
    expect((await c.closed).code).toBe(CLOSE.forbidden);
    await expect(c.synced(1000)).rejects.toThrow(/4403/);
  });

  it('accepts the session cookie', async () => {
    const doc = `cmt:${t.seed.images.assigned}`;
    const s = rawSocket(`${syncServerUrl(t.url)}/${doc}`, { cookie: `other=1; tessera_session=${t.seed.tokens.annotator}` });
    await s.opened;
    await until(() => s.frames.length > 0, [(r) => (s.ws.on('message', r), () => s.ws.off('message', r))], 5000, 'a first frame');
    expect(s.frames[0][0]).toBe(0); // sync step 1
    s.ws.close();
  });

  it('refuses the session cookie from another origin (4403, no document byte), accepts it from its own', async () => {
    const doc = `cmt:${t.seed.images.assigned}`;
    const cookie = `tessera_session=${t.seed.tokens.annotator}`;
    const evil = rawSocket(`${syncServerUrl(t.url)}/${doc}`, { cookie, origin: 'http://evil.localhost:3000' });
    expect((await evil.closed).code).toBe(CLOSE.forbidden);
    expect(evil.frames).toEqual([]);
    const own = rawSocket(`${syncServerUrl(t.url)}/${doc}`, { cookie, origin: t.url });
    await own.opened;
    await until(() => own.frames.length > 0, [(r) => (own.ws.on('message', r), () => own.ws.off('message', r))], 5000, 'a first frame');
    own.ws.close();
  });

  it('keeps read-only clients from changing the document, answers once, still sends them live updates', async () => {
    const doc = `ann:${t.seed.images.assigned}`;
    const writer = client(t.seed.tokens.annotator, doc);
    const reader = client(t.seed.tokens.engineer, doc);
    await Promise.all([writer.synced(), reader.synced()]);
    addShape(writer.doc, { id: 'w1', kind: 'point', label: 'c', points: [1, 1] }, { author: t.seed.users.annotator.id });
    await until(() => readShapes(reader.doc).shapes.length === 1, [docUpdates(reader.doc)], 5000, 'w1 at the reader');
    const server = t.sync.core.doc(doc)!;
    const before = Y.decodeStateVector(Y.encodeStateVector(server));
    addShape(reader.doc, { id: 'r1', kind: 'point', label: 'c', points: [2, 2] }, { author: 'x' });
    addShape(reader.doc, { id: 'r2', kind: 'point', label: 'c', points: [3, 3] }, { author: 'x' });
    // the reader's frames are handled before the relayed w2 can reach it (one ordered socket each way)
    await until(() => reader.denied.length > 0, [docUpdates(reader.doc), every(20)], 5000, 'permission denied');
    addShape(writer.doc, { id: 'w2', kind: 'point', label: 'c', points: [1, 1] }, { author: t.seed.users.annotator.id });
    await until(() => readShapes(reader.doc).shapes.some((s) => s.id === 'w2'), [docUpdates(reader.doc)], 5000, 'w2 at the reader');
    expect(reader.denied).toHaveLength(1);
    expect(readShapes(server).shapes.map((s) => s.id)).toEqual(['w1', 'w2']);
    const after = Y.decodeStateVector(Y.encodeStateVector(server));
    after.delete(writer.doc.clientID);
    before.delete(writer.doc.clientID);
    expect(after).toEqual(before);
    expect(after.has(reader.doc.clientID)).toBe(false);
  });

  it('drops forged presence: a client can only publish its own user', async () => {
    const doc = `cmt:${t.seed.images.assigned}`;
    const watcher = client(t.seed.tokens.manager, doc);
    watcher.provider.awareness.setLocalStateField('user', { id: t.seed.users.manager.id, name: 'manager' });
    await watcher.synced();
    const s = rawSocket(`${syncServerUrl(t.url)}/${doc}?token=${t.seed.tokens.annotator}`);
    await s.opened;
    const presence = (clientId: number, userId: string) => {
      const scratch = new Awareness(new Y.Doc());
      scratch.clientID = clientId;
      scratch.setLocalState({});
      scratch.setLocalState({ user: { id: userId, name: 'n' } }); // clock 1: clock 0 is ignored for new clients
      const e = encoding.createEncoder();
      encoding.writeVarUint(e, 1);
      encoding.writeVarUint8Array(e, encodeAwarenessUpdate(scratch, [clientId]));
      scratch.destroy();
      return encoding.toUint8Array(e);
    };
    // the watcher's own state reached the server before the forger starts (the watcher sees it echoed)
    const serverStates = () => (t.sync.core as unknown as { rooms: Map<string, { awareness: Awareness }> }).rooms.get(doc)!.awareness.getStates();
    await until(() => serverStates().has(watcher.doc.clientID), [every(10)], 5000, 'watcher presence on the server');
    s.ws.send(presence(1001, t.seed.users.manager.id)); // poses as the manager
    s.ws.send(presence(watcher.doc.clientID, t.seed.users.annotator.id)); // takes over someone else's client id
    s.ws.send(presence(1002, t.seed.users.annotator.id)); // honest, sent last on the same socket
    const states = watcher.provider.awareness.getStates();
    await until(() => states.has(1002), [(r) => (watcher.provider.awareness.on('change', r), () => watcher.provider.awareness.off('change', r))], 5000, 'honest presence');
    expect(states.has(1001)).toBe(false);
    expect((states.get(watcher.doc.clientID) as { user?: { id: string } } | undefined)?.user?.id).toBe(t.seed.users.manager.id);
    expect([...serverStates().keys()].sort()).toEqual([1002, watcher.doc.clientID].sort());
    s.ws.close();
  });

  it('is what `tessera serve` wires in, with class usage counted from documents', async () => {
    const dir = tempDir();
    const s = await startServer({ port: 0, dataDir: dir.dir, clientDir: null });
    try {
      const seed = seedProject(s.db);
      const c = connectSyncClient({ url: s.url, docName: `ann:${seed.images.free}`, token: seed.tokens.manager });
      await c.synced();
      addShape(c.doc, { kind: 'box', label: 'cls-1', points: [0, 0, 1, 1] }, { author: seed.users.manager.id });
      addShape(c.doc, { kind: 'box', label: 'cls-2', points: [0, 0, 1, 1] }, { author: seed.users.manager.id });
      const fresh = await fetchDoc({ url: s.url, docName: `ann:${seed.images.free}`, token: seed.tokens.manager });
      expect(readShapes(fresh).shapes).toHaveLength(2);
      c.destroy();
    } finally {
      await s.close();
      dir.cleanup();
    }
  });
});
