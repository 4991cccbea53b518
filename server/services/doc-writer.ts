// Server-side writes to Yjs documents (imports, migrations): the DocWriter interface, and a
// direct implementation over the `doc_updates` log for when no live sync server holds the doc.
import * as Y from 'yjs';
import type { Db } from '../db/open.ts';

export interface DocWriter {
  /**
   * Applies `fn` to the current state of `docName` and makes what it changed durable (and live for
   * connected clients), attributed to `userId`. Returns whether anything changed.
   */
  change(docName: string, userId: string, fn: (doc: Y.Doc) => void): boolean;
  /** The current state of a document, read-only (a copy). */
  read(docName: string): Y.Doc;
}

/** Writes straight to the update log. Only safe while no sync server has the document loaded. */
export function logDocWriter(db: Db): DocWriter {
  const select = db.$client.prepare<[string], { update: Buffer }>('select "update" from doc_updates where doc_name = ? order by id');
  const insert = db.$client.prepare('insert into doc_updates (doc_name, "update", user_id, created_at) values (?, ?, ?, ?)');
  const load = (docName: string) => {
    const doc = new Y.Doc({ gc: true });
    Y.transact(doc, () => {
      for (const row of select.iterate(docName)) Y.applyUpdate(doc, row.update);
    });
    return doc;
  };
  return {
    read: load,
    change(docName, userId, fn) {
      const doc = load(docName);
      const before = Y.encodeStateVector(doc);
      let changed = false;
      doc.on('afterTransaction', (tr) => {
        if (tr.changed.size > 0 || tr.deleteSet.clients.size > 0) changed = true;
      });
      fn(doc);
      if (!changed) return false;
      insert.run(docName, Buffer.from(Y.encodeStateAsUpdate(doc, before)), userId, Date.now());
      doc.destroy();
      return true;
    },
  };
}
