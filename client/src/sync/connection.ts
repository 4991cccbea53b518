// One synced Y.Doc: a y-websocket provider to /api/sync/<docName> (cookie auth) plus a y-indexeddb
// copy on this device, with the connection state as Solid signals. Offline edits are simply kept
// in IndexedDB and exchanged (by state vector) when the socket reconnects. The device copy is
// loaded before the socket opens, so that the handshake asks the server only for what the device
// lacks: opened together, the server sent the whole document, which was applied a second time
// and stored on the device once more on every visit.
import { SYNC_PATH } from '../../../shared/sync-path.ts';
import { createSignal, type Accessor } from 'solid-js';
import * as Y from 'yjs';
import { WebsocketProvider } from 'y-websocket';
import { IndexeddbPersistence } from 'y-indexeddb';
import type { Awareness } from 'y-protocols/awareness';
import type { DocName } from '../../../shared/ids.ts';

/** online: connected and synced; syncing: connecting or exchanging state; offline: no server. */
export type SyncStatus = 'online' | 'syncing' | 'offline' | 'refused';

export interface DocConnection {
  name: DocName;
  doc: Y.Doc;
  awareness: Awareness;
  status: Accessor<SyncStatus>;
  /** The copy on this device has been loaded into the document. */
  local: Accessor<boolean>;
  /** The server closed the connection for good (4401/4403/4400): code and reason. */
  refusal: Accessor<{ code: number; reason: string } | null>;
  /** Local edits made since the last completed sync with the server (kept across reloads). */
  pending: Accessor<number>;
  destroy(): void;
}

/** The IndexedDB database that holds one user's copy of one document on this device. */
export const deviceDocKey = (userId: string, name: string) => `tessera:${userId}:${name}`;

export const syncUrl = () => `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}${SYNC_PATH}`;

/** Who this client is, announced in awareness (the server drops states naming anyone else). */
export interface AwarenessUser {
  id: string;
  name: string;
  color: string;
}

/** How long the socket waits for the device copy before it opens anyway (a stuck IndexedDB must not keep the server away). */
const DEVICE_COPY_WAIT_MS = 1500;

/**
 * Opens a document for one signed-in user. The device copy is kept per user, so that edits made
 * offline are sent later under the account that made them. With `after`, loading starts only once
 * that settles (the annotate page lets the photo decode first).
 */
export function openDoc(name: DocName, user: AwarenessUser, opts: { after?: Promise<unknown> } = {}): DocConnection {
  const doc = new Y.Doc();
  let idb: IndexeddbPersistence | null = null;
  let destroyed = false;
  // No BroadcastChannel between tabs: it is keyed by document, not by user, so after a change of
  // account one user's edits could reach another user's tab. The server and IndexedDB carry edits
  // between tabs instead.
  const provider = new WebsocketProvider(syncUrl(), name, doc, { maxBackoffTime: 4000, connect: false, disableBc: true });
  provider.awareness.setLocalState({ user });
  // No connection attempts while the device has no network: each would log a failed request.
  const connect = () => {
    if (!destroyed && navigator.onLine) provider.connect();
  };
  const start = () => {
    if (destroyed) return;
    const copy = (idb = new IndexeddbPersistence(deviceDocKey(user.id, name), doc));
    const fallback = setTimeout(connect, DEVICE_COPY_WAIT_MS);
    copy.whenSynced.then(() => {
      clearTimeout(fallback);
      setLocal(true);
      connect();
    });
    copy._db.catch((e: unknown) => {
      clearTimeout(fallback);
      console.warn(`could not open the device copy of ${name}:`, e);
      connect();
    });
  };
  void (opts.after ?? Promise.resolve()).then(start, start);

  const [local, setLocal] = createSignal(false);
  const [connected, setConnected] = createSignal(false);
  const [synced, setSynced] = createSignal(false);
  const [failed, setFailed] = createSignal(false);
  const [refusal, setRefusal] = createSignal<{ code: number; reason: string } | null>(null);
  const [netOnline, setNetOnline] = createSignal(navigator.onLine);

  provider.on('status', ({ status }) => {
    setConnected(status === 'connected');
    if (status === 'connected') setFailed(false);
  });
  provider.on('sync', (s: boolean) => setSynced(s));
  provider.on('connection-close', () => {
    setFailed(true);
    setSynced(false);
  });
  provider.on('connection-error', () => setFailed(true));
  provider.on('closed', (c: { code: number; reason: string }) => setRefusal(c));
  // Edits not yet handed to a synced connection. A (re)connection's handshake sends the server
  // everything it lacks (by state vector), so they count as delivered once the provider is synced.
  const pendingKey = `tessera:pending:${user.id}:${name}`;
  const [pending, setPending] = createSignal(Number(localStorage.getItem(pendingKey)) || 0);
  const savePending = (n: number) => {
    setPending(n);
    if (n) localStorage.setItem(pendingKey, String(n));
    else localStorage.removeItem(pendingKey);
  };
  doc.on('afterTransaction', (tr: Y.Transaction) => {
    if (!tr.local || tr.origin === idb || tr.origin === provider) return;
    if ((tr.afterState.get(doc.clientID) ?? 0) === (tr.beforeState.get(doc.clientID) ?? 0) && tr.deleteSet.clients.size === 0) return;
    if (!(provider.wsconnected && provider.synced)) savePending(pending() + 1);
  });
  provider.on('sync', (s: boolean) => {
    if (s) savePending(0);
  });
  const onNet = () => {
    setNetOnline(navigator.onLine);
    if (navigator.onLine) provider.connect();
    else provider.disconnect();
  };
  window.addEventListener('online', onNet);
  window.addEventListener('offline', onNet);

  const status = (): SyncStatus => {
    if (refusal()) return 'refused';
    if (!netOnline()) return 'offline';
    if (connected()) return synced() ? 'online' : 'syncing';
    return failed() ? 'offline' : 'syncing';
  };

  return {
    name,
    doc,
    awareness: provider.awareness,
    status,
    local,
    refusal,
    pending,
    destroy() {
      window.removeEventListener('online', onNet);
      window.removeEventListener('offline', onNet);
      provider.awareness.setLocalState(null);
      provider.destroy();
      destroyed = true;
      void idb?.destroy();
      doc.destroy();
    },
  };
}

/** The least healthy of several connections' states. */
export function combinedStatus(list: SyncStatus[]): SyncStatus {
  for (const s of ['refused', 'offline', 'syncing'] as const) if (list.includes(s)) return s;
  return 'online';
}
