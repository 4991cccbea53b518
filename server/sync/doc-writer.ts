// Server-side document writes through the live sync core: durable first, then relayed to every
// connected client, attributed to the user on whose behalf the server writes.
import * as Y from 'yjs';
import type { DocWriter } from '../services/doc-writer.ts';
import type { SyncCore } from './core.ts';

export function coreDocWriter(core: SyncCore): DocWriter {
  return {
    change: (docName, userId, fn) => core.change(docName, userId, fn),
    provenance: (docName) => core.provenance(docName),
    async read(docName) {
      const doc = new Y.Doc();
      Y.applyUpdate(doc, await core.encodedState(docName));
      return doc;
    },
  };
}
