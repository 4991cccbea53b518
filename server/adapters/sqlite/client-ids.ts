// SQLite ClientIdRegistry: table `doc_clients` (document, client id, owner, time), first owner wins.
import type { Db } from './open.ts';
import type { ClientIdRegistry } from '../../ports/client-ids.ts';

export function sqliteClientIds(db: Db, now: () => number = Date.now): ClientIdRegistry {
  const sql = db.$client;
  const select = sql.prepare<[string], { clientId: number; userId: string }>('SELECT client_id AS clientId, user_id AS userId FROM doc_clients WHERE doc_name = ?');
  const insert = sql.prepare('INSERT OR IGNORE INTO doc_clients (doc_name, client_id, user_id, created_at) VALUES (?, ?, ?, ?)');
  const bindAll = sql.transaction((docName: string, ids: readonly number[], userId: string) => {
    const at = now();
    for (const id of ids) insert.run(docName, id, userId, at);
  });
  return {
    owners: (docName) => new Map(select.all(docName).map((r) => [r.clientId, r.userId])),
    bind: (docName, clientIds, userId) => {
      if (clientIds.length) bindAll.immediate(docName, clientIds, userId);
    },
  };
}
