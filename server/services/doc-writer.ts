// Server-side access to Yjs documents (imports, label usage, stages): the DocWriter interface. Its
// one writing implementation, server/sync/doc-writer.ts, writes through the live sync core, so
// connected clients see the change at once and nothing writes a document's log behind a loaded
// room's back. `logDocReader` is for a process that holds no live documents (`tessera worker`).
import * as Y from 'yjs';
import { applyLog } from '../../shared/doc/log.ts';
import { provenanceAt, type Provenance } from '../../shared/doc/provenance.ts';
import type { UpdateStore } from '../ports/update-store.ts';

export interface DocWriter {
  /**
   * Applies `fn` to the current state of `docName` and makes what it changed durable (and live for
   * connected clients), attributed to `userId`. Resolves, once durable, with whether anything changed.
   */
  change(docName: string, userId: string, fn: (doc: Y.Doc) => void): Promise<boolean>;
  /** The current state of a document, as a new Y.Doc the caller owns. */
  read(docName: string): Promise<Y.Doc>;
  /**
   * Who created and last changed each shape, from the server's record of who sent every update,
   * with the state vector of the state it describes.
   */
  provenance(docName: string): Promise<{ provenance: Provenance; stateVector: Uint8Array }>;
}

/**
 * Reads documents straight from the update log (fresh on every call, so a server process writing
 * the same log is seen) and refuses to write: only the server, whose sync core holds the live
 * rooms, writes documents (stages that edit them are `runsIn: 'server'`).
 */
export function logDocReader(store: UpdateStore): DocWriter {
  return {
    async read(docName) {
      const doc = new Y.Doc();
      applyLog(doc, await store.load(docName));
      return doc;
    },
    provenance: async (docName) => provenanceAt(await store.loadRows(docName)),
    change: async (docName) => {
      throw new Error(`document ${docName} can be changed only in the server process (a stage that edits documents must be runsIn: 'server')`);
    },
  };
}
