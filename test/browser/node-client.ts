// A Node-side sync client for browser tests: signs in over HTTP and opens a document with
// y-websocket (token auth, no BroadcastChannel), to check what the server really holds.
import WebSocket from 'ws';
import * as Y from 'yjs';
import { WebsocketProvider } from 'y-websocket';
import { observeShapes, readShapes, type DocShape } from '../../shared/doc/index.ts';

export async function apiLogin(url: string, username: string, password = 'tessera'): Promise<{ token: string; user: { id: string } }> {
  const res = await fetch(`${url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) });
  if (!res.ok) throw new Error(`login ${username}: ${res.status} ${await res.text()}`);
  return (await res.json()) as { token: string; user: { id: string } };
}

export async function apiGet<T>(url: string, token: string, path: string): Promise<T> {
  const res = await fetch(`${url}/api${path}`, { headers: { authorization: `Bearer ${token}` } });
  if (!res.ok) throw new Error(`GET ${path}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

export interface NodeDoc {
  doc: Y.Doc;
  awareness: WebsocketProvider['awareness'];
  /** Resolves with the shapes once `pred` holds for them (checked now and after every change). */
  waitForShapes(pred: (shapes: DocShape[]) => boolean, timeoutMs?: number): Promise<DocShape[]>;
  close(): void;
}

export async function openNodeDoc(url: string, token: string, name: string): Promise<NodeDoc> {
  const doc = new Y.Doc();
  const provider = new WebsocketProvider(`${url.replace(/^http/, 'ws')}/api/sync`, name, doc, {
    params: { token },
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
    disableBc: true,
  });
  await new Promise<void>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`no sync for ${name} within 10 s`)), 10_000);
    provider.once('sync', () => {
      clearTimeout(t);
      resolve();
    });
    provider.on('closed', (c: { code: number; reason: string }) => reject(new Error(`sync refused: ${c.code} ${c.reason}`)));
  });
  return {
    doc,
    awareness: provider.awareness,
    waitForShapes(pred, timeoutMs = 10_000) {
      return new Promise((resolve, reject) => {
        let done = false;
        const finish = (f: () => void) => {
          if (done) return;
          done = true;
          off();
          clearTimeout(timer);
          f();
        };
        const check = () => {
          const s = readShapes(doc).shapes;
          if (pred(s)) finish(() => resolve(s));
        };
        const off = observeShapes(doc, check);
        const timer = setTimeout(
          () => finish(() => reject(new Error(`shapes condition not met within ${timeoutMs} ms; have ${JSON.stringify(readShapes(doc).shapes)}`))),
          timeoutMs,
        );
        check();
      });
    },
    close() {
      provider.destroy();
      doc.destroy();
    },
  };
}
