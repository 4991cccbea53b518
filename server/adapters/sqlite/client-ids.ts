// SQLite ClientIdRegistry: table `doc_clients` (document, client id, owner, time), first owner wins.
// Bindings are written through the connection's writer gate: at once when no repository
// transaction is open on the connection, else right after it (never inside it, where its rollback
// would drop them), and still before the group commit of the update that introduced them, which
// queues behind them at the same gate.
import { serialOf, type Db } from './open.ts';
import type { ClientIdRegistry } from '../../ports/client-ids.ts';

export function sqliteClientIds(db: Db, now: () => number = Date.now, log: (message: string, error: unknown) => void = (m, e) => console.error(`[sync] ${m}`, e)): ClientIdRegistry {
  const sql = db.$client;
  const gate = serialOf(db);
  const select = sql.prepare<[string], { clientId: number; userId: string }>('SELECT client_id AS clientId, user_id AS userId FROM doc_clients WHERE doc_name = ?');
  const insert = sql.prepare('INSERT OR IGNORE INTO doc_clients (doc_name, client_id, user_id, created_at) VALUES (?, ?, ?, ?)');
  const bindAll = sql.transaction((docName: string, ids: readonly number[], userId: string) => {
    const at = now();
    for (const id of ids) insert.run(docName, id, userId, at);
  });
  return {
    owners: (docName) => new Map(select.all(docName).map((r) => [r.clientId, r.userId])),
    bind: (docName, clientIds, userId) => {
      if (!clientIds.length) return;
      gate.op(() => bindAll.immediate(docName, clientIds, userId)).catch((e) => log(`could not record the owner of client ids ${clientIds.join(', ')} in ${docName}`, e));
    },
  };
}
