// In-memory ClientIdRegistry (tests, tools): the same contract as the SQLite one, nothing on disk.
import type { ClientIdRegistry } from '../../ports/client-ids.ts';

export function memoryClientIds(): ClientIdRegistry {
  const docs = new Map<string, Map<number, string>>();
  return {
    owners: (docName) => new Map(docs.get(docName) ?? []),
    bind(docName, clientIds, userId) {
      let m = docs.get(docName);
      if (!m) docs.set(docName, (m = new Map()));
      for (const id of clientIds) if (!m.has(id)) m.set(id, userId);
    },
  };
}
