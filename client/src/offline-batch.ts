// "Take my batch offline": fetches, for every image assigned to this user in a project, what the
// annotate page needs to open with no network — the image's record, its blob and thumbnail (into
// the service worker's caches) and its `ann:` and `cmt:` documents (synced once into this device's
// IndexedDB copy, the same copy the annotate page opens) — with progress.
import * as Y from 'yjs';
import { IndexeddbPersistence } from 'y-indexeddb';
import { WebsocketProvider } from 'y-websocket';
import { api, blobUrl, type ImageInfo } from './api.ts';
import { docName, type ImageId } from '../../shared/ids.ts';
import { deviceDocKey, syncUrl } from './sync/connection.ts';
import { warmOfflineCache } from './sw-client.ts';

export interface BatchProgress {
  done: number;
  total: number;
  /** Images whose documents could not be fetched (e.g. access refused), by file name. */
  failed: string[];
}

/** Syncs one document into its device copy once, without announcing presence. */
function prefetchDoc(name: string, userId: string): Promise<void> {
  const doc = new Y.Doc();
  const idb = new IndexeddbPersistence(deviceDocKey(userId, name), doc);
  const provider = new WebsocketProvider(syncUrl(), name, doc, { connect: false, disableBc: true, maxBackoffTime: 2000 });
  provider.awareness.setLocalState(null);
  return new Promise<void>((resolve, reject) => {
    const done = (err?: Error) => {
      provider.destroy();
      // Closing the database waits for its pending writes.
      void idb.destroy().then(() => doc.destroy());
      if (err) reject(err);
      else resolve();
    };
    provider.on('closed', (c: { code: number; reason: string }) => done(new Error(c.reason || `closed ${c.code}`)));
    void idb.whenSynced.then(() => {
      provider.on('sync', (s: boolean) => {
        if (s) done();
      });
      provider.connect();
    });
  });
}

/** All images assigned to `userId` in the project (every page). */
async function assignedImages(projectId: string, userId: string): Promise<ImageInfo[]> {
  const out: ImageInfo[] = [];
  let cursor: string | null = null;
  do {
    const page = await api.images(projectId, { assignee: userId, limit: 100, cursor });
    out.push(...page.items);
    cursor = page.next;
  } while (cursor);
  return out;
}

export async function takeBatchOffline(projectId: string, userId: string, onProgress: (p: BatchProgress) => void): Promise<BatchProgress> {
  const pid = encodeURIComponent(projectId);
  await warmOfflineCache(['/api/auth/session', `/api/projects/${pid}`, `/api/projects/${pid}/classes`, `/api/projects/${pid}/people`]);
  const images = await assignedImages(projectId, userId);
  const progress: BatchProgress = { done: 0, total: images.length, failed: [] };
  onProgress({ ...progress });
  const one = async (img: ImageInfo) => {
    try {
      await warmOfflineCache([
        `/api/projects/${pid}/images/${encodeURIComponent(img.id)}`,
        blobUrl(img.sha256),
        ...(img.thumbSha256 ? [blobUrl(img.thumbSha256)] : []),
      ]);
      await prefetchDoc(docName('ann', img.id as ImageId), userId);
      await prefetchDoc(docName('cmt', img.id as ImageId), userId);
    } catch {
      progress.failed.push(img.fileName);
    }
    progress.done++;
    onProgress({ ...progress, failed: [...progress.failed] });
  };
  // A few at a time: enough to keep the connection busy without opening dozens of sockets.
  const queue = images.slice();
  await Promise.all(Array.from({ length: Math.min(4, queue.length) }, async () => {
    for (let img = queue.shift(); img; img = queue.shift()) await one(img);
  }));
  localStorage.setItem(`tessera:offline-batch:${userId}:${projectId}`, String(Date.now()));
  return progress;
}

/** When this user last took the project's batch offline on this device, or null. */
export function batchTakenAt(projectId: string, userId: string): number | null {
  const v = Number(localStorage.getItem(`tessera:offline-batch:${userId}:${projectId}`));
  return v > 0 ? v : null;
}
