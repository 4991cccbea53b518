// The WebSocket adapter on its own: no database, only the functions, store and fan-out it is given.
// Authentication may be slow (async): frames sent meanwhile are answered after it, in order.
import { createServer, type Server } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import * as Y from 'yjs';
import { addShape, readShapes } from '../../shared/doc/annotations.ts';
import { memoryUpdateStore } from '../adapters/memory/update-store.ts';
import { docUpdates, until } from '../testing/wait.ts';
import { connectSyncClient, syncServerUrl } from './client.ts';
import * as encoding from 'lib0/encoding';
import * as syncProtocol from 'y-protocols/sync';
import { CLOSE, MESSAGE, SYNC } from './protocol.ts';
import { createSyncServer, type SyncAuth, type SyncServer } from './ws.ts';

const DOC = 'ann:img1';

async function serve(auth: SyncAuth) {
  const sync = createSyncServer({ store: memoryUpdateStore(), auth, log: () => {} });
  const http: Server = createServer((_req, res) => res.writeHead(404).end());
  http.on('upgrade', (req, socket, head) => sync.handleUpgrade(req, socket, head) || socket.destroy());
  await new Promise<void>((r) => http.listen(0, '127.0.0.1', () => r()));
  const address = http.address();
  const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  return { sync, url, close: async () => (await sync.close(), await new Promise<void>((r) => http.close(() => r()))) };
}

const closedWith = (ws: WebSocket) => new Promise<number>((r) => ws.on('close', (code) => r(code)));

describe('sync WebSocket adapter', () => {
  let server: { sync: SyncServer; url: string; close(): Promise<void> } | null = null;
  afterEach(async () => {
    await server?.close();
    server = null;
  });

  it('refuses with the codes of the functions it is given (4401, 4403); frames sent during a slow sign-in are answered after it', async () => {
    let release!: () => void;
    const slow = new Promise<void>((r) => (release = r));
    server = await serve({
      authenticate: async (token) => (await slow, token === 'good' || token === 'outsider' ? { userId: token } : null),
      authorize: async (userId) => (userId === 'good' ? 'write' : 'none'),
      tokenActive: () => true,
    });
    const base = `${syncServerUrl(server.url)}/${DOC}`;
    const anon = new WebSocket(`${base}?token=bad`);
    const outsider = new WebSocket(`${base}?token=outsider`);
    const early = new WebSocket(`${base}?token=good`);
    const refused = [closedWith(anon), closedWith(outsider)];
    const got: number[][] = [];
    const answered = new Promise<void>((r) => early.on('message', (d: Buffer) => (got.push([d[0], d[1]]), got.length >= 2 && r())));
    await new Promise((r) => early.on('open', r));
    const step1 = encoding.createEncoder();
    encoding.writeVarUint(step1, MESSAGE.sync);
    syncProtocol.writeSyncStep1(step1, new Y.Doc());
    early.send(encoding.toUint8Array(step1)); // before sign-in finished
    release();
    expect(await Promise.all(refused)).toEqual([CLOSE.unauthenticated, CLOSE.forbidden]);
    await answered;
    expect(got.slice(0, 2)).toEqual([[MESSAGE.sync, SYNC.step1], [MESSAGE.sync, SYNC.step2]]); // greeting, then the answer
    early.close();
  });

  it('refuses a malformed %-escape in the document name (4403, auth never asked) or in the token or cookie (4401), and keeps serving', async () => {
    const asked: string[] = [];
    server = await serve({
      authenticate: (t) => (asked.push(`token ${t}`), t === 'good' ? { userId: 'u' } : null),
      authorize: (_u, doc) => (asked.push(`doc ${doc}`), 'write'),
      tokenActive: () => true,
    });
    const base = syncServerUrl(server.url);
    const reasonOf = (ws: WebSocket) => new Promise<[number, string]>((r) => ws.on('close', (code, reason) => r([code, reason.toString()])));
    const badName = new WebSocket(`${base}/ann:%E2%zz?token=good`);
    expect(await reasonOf(badName)).toEqual([CLOSE.forbidden, 'malformed document name']);
    expect(asked).toEqual([]);
    const badToken = new WebSocket(`${base}/${DOC}?token=%zz`);
    expect(await reasonOf(badToken)).toEqual([CLOSE.unauthenticated, 'not signed in']);
    const badCookie = new WebSocket(`${base}/${DOC}`, { headers: { cookie: 'tessera_session=%E2%zz' } });
    expect(await reasonOf(badCookie)).toEqual([CLOSE.unauthenticated, 'not signed in']);
    expect(asked).toEqual(['token %zz', 'token null']);
    const ok = connectSyncClient({ url: server.url, docName: DOC, token: 'good' });
    await ok.synced();
    ok.destroy();
  });

  it('lets writers sync through it', async () => {
    server = await serve({ authenticate: (t) => (t ? { userId: t } : null), authorize: () => 'write', tokenActive: () => true });
    const a = connectSyncClient({ url: server.url, docName: DOC, token: 'ua' });
    const b = connectSyncClient({ url: server.url, docName: DOC, token: 'ub' });
    await Promise.all([a.synced(), b.synced()]);
    addShape(a.doc, { id: 's1', kind: 'point', label: 'c', points: [1, 1] }, { author: 'ua' });
    await until(() => readShapes(b.doc).shapes.length === 1, [docUpdates(b.doc)], 5000, 's1 at b');
    a.destroy();
    b.destroy();
  });

  it('closes connections whose token the given tokenActive says is gone, on revalidation', async () => {
    let active = true;
    server = await serve({ authenticate: (t) => (t ? { userId: 'u', tokenId: t } : null), authorize: () => 'write', tokenActive: () => active });
    const c = connectSyncClient({ url: server.url, docName: DOC, token: 'tok' });
    await c.synced();
    const closed = new Promise<number>((r) => c.provider.ws?.addEventListener('close', (e) => r((e as unknown as { code: number }).code)));
    active = false;
    server.sync.revalidate!();
    expect(await closed).toBe(CLOSE.unauthenticated);
    c.destroy();
  });
});
