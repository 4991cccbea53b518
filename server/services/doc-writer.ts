// Server-side access to Yjs documents (imports, label usage): the DocWriter interface, and an
// implementation over the update store for when no sync server is running. With a sync server,
// server/sync/doc-writer.ts writes through it, so that connected clients see the change live.
import * as Y from 'yjs';
import { applyLog } from '../../shared/doc/log.ts';
import type { UpdateStore } from '../ports/update-store.ts';

export interface DocWriter {
  /**
   * Applies `fn` to the current state of `docName` and makes what it changed durable (and live for
   * connected clients), attributed to `userId`. Resolves, once durable, with whether anything changed.
   */
  change(docName: string, userId: string, fn: (doc: Y.Doc) => void): Promise<boolean>;
  /** The current state of a document, as a new Y.Doc the caller owns. */
  read(docName: string): Promise<Y.Doc>;
}

/** Reads and appends to the update log directly. Only for use while no sync server holds documents. */
export function storeDocWriter(store: UpdateStore): DocWriter {
  const load = async (docName: string) => {
    const doc = new Y.Doc();
    applyLog(doc, await store.load(docName));
    return doc;
  };
  return {
    read: load,
    async change(docName, userId, fn) {
      const doc = await load(docName);
      const before = Y.encodeStateVector(doc);
      let changed = false;
      doc.on('update', () => (changed = true));
      Y.transact(doc, () => fn(doc));
      if (changed) await store.append(docName, Y.encodeStateAsUpdate(doc, before), userId);
      doc.destroy();
      return changed;
    },
  };
}
