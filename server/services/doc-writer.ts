// Server-side access to Yjs documents (imports, label usage): the DocWriter interface, and an
// implementation over the update store for when no sync server is running. With a sync server,
// server/sync/doc-writer.ts writes through it, so that connected clients see the change live.
import * as Y from 'yjs';
import { applyLog, type UpdateStore } from '../sync/store.ts';

export interface DocWriter {
  /**
   * Applies `fn` to the current state of `docName` and makes what it changed durable (and live for
   * connected clients), attributed to `userId`. Returns whether anything changed.
   */
  change(docName: string, userId: string, fn: (doc: Y.Doc) => void): boolean;
  /** The current state of a document, as a new Y.Doc the caller owns. */
  read(docName: string): Y.Doc;
}

/** Reads and appends to the update log directly. Only for use while no sync server holds documents. */
export function storeDocWriter(store: UpdateStore): DocWriter {
  const load = (docName: string) => {
    const doc = new Y.Doc();
    applyLog(doc, store.load(docName));
    return doc;
  };
  return {
    read: load,
    change(docName, userId, fn) {
      const doc = load(docName);
      const before = Y.encodeStateVector(doc);
      let changed = false;
      doc.on('update', () => (changed = true));
      Y.transact(doc, () => fn(doc));
      if (changed) store.append(docName, Y.encodeStateAsUpdate(doc, before), userId);
      doc.destroy();
      return changed;
    },
  };
}
