// The bench's clients, one kind per server: Tessera and the y-websocket server speak the
// y-websocket protocol (server/sync/client.ts); Hocuspocus has its own framing and provider. Each
// is a Y.Doc kept in sync with one document over its own socket.
import { HocuspocusProvider } from '@hocuspocus/provider';
import { WebSocket } from 'ws';
import * as Y from 'yjs';
import { connectSyncClient } from '../../server/sync/client.ts';

export interface BenchClient {
  doc: Y.Doc;
  /** Resolves once the server's state arrived. */
  synced(timeoutMs?: number): Promise<void>;
  destroy(): void;
}

/** Connects one client to `docName` (with `token` where the server checks one). */
export type Connect = (docName: string, token?: string) => BenchClient;

export const yWebsocketClients = (url: string): Connect => (docName, token) => connectSyncClient({ url, docName, token });

export const hocuspocusClients = (url: string): Connect => (docName) => {
  const doc = new Y.Doc();
  const provider = new HocuspocusProvider({
    url: url.replace(/^http/, 'ws'),
    name: docName,
    document: doc,
    // passed on to the socket it makes (Node 20 has no global WebSocket)
    ...({ WebSocketPolyfill: WebSocket } as object),
  });
  return {
    doc,
    synced: (timeoutMs = 10_000) =>
      new Promise<void>((resolve, reject) => {
        if (provider.isSynced) return resolve();
        const timer = setTimeout(() => reject(new Error(`hocuspocus: not synced with ${docName} after ${timeoutMs} ms`)), timeoutMs);
        provider.on('synced', () => (clearTimeout(timer), resolve()));
      }),
    destroy: () => provider.destroy(),
  };
};
