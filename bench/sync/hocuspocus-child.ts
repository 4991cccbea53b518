// The Hocuspocus peer in its own process: @hocuspocus/server 3.4.4 (4.x needs Node 22) with
// @hocuspocus/extension-database, whose fetch/store run the statements of Hocuspocus's own SQLite
// extension (one row per document holding its whole state, upserted after the server's store
// debounce, 2 s by default) over better-sqlite3 in WAL with synchronous=NORMAL like Tessera's
// database. Why not @hocuspocus/extension-sqlite itself: it needs the native `sqlite3` package,
// whose prebuilt binary cannot be downloaded here (docs/design.md). Durable like us only after
// the debounce: Hocuspocus relays an update before it stores anything. Answers the bench's IPC
// commands: stats, open (the 1,000 RSS documents), closeAll, load (a no-op: its cold load reads
// the store, as ours does).
import Database from 'better-sqlite3';
import { Server } from '@hocuspocus/server';
import { Database as DatabaseExtension } from '@hocuspocus/extension-database';
import type { DirectConnection } from '@hocuspocus/server';
import { answerCommands } from './child.ts';
import { RSS_DOCS, gc, memory } from './util.ts';

/** The table and statements of @hocuspocus/extension-sqlite 3.x. */
export const HOCUSPOCUS_SCHEMA = 'CREATE TABLE IF NOT EXISTS "documents" ("name" varchar(255) NOT NULL, "data" blob NOT NULL, UNIQUE(name))';
export const HOCUSPOCUS_UPSERT = 'INSERT INTO "documents" ("name", "data") VALUES (?, ?) ON CONFLICT(name) DO UPDATE SET data = excluded.data';

export function openHocuspocusDb(file: string): Database.Database {
  const sql = new Database(file);
  sql.pragma('journal_mode = WAL');
  sql.pragma('synchronous = NORMAL');
  sql.exec(HOCUSPOCUS_SCHEMA);
  return sql;
}

export async function hocuspocusChild(file: string) {
  const sql = openHocuspocusDb(file);
  const select = sql.prepare<[string], { data: Buffer }>('SELECT data FROM "documents" WHERE name = ? ORDER BY rowid DESC');
  const upsert = sql.prepare(HOCUSPOCUS_UPSERT);
  let stored = 0;
  const server = new Server({
    port: 0,
    address: '127.0.0.1',
    quiet: true,
    extensions: [
      new DatabaseExtension({
        fetch: async ({ documentName }) => select.get(documentName)?.data ?? null,
        store: async ({ documentName, state }) => void (upsert.run(documentName, state), stored++),
      }),
    ],
  });
  await server.listen();
  const url = `http://127.0.0.1:${server.address.port}`;
  const hp = server.hocuspocus;
  let open: DirectConnection[] = [];
  const handlers: Record<string, (arg?: string) => unknown> = {
    stats: () => (gc(), { ...memory(), durable: stored, docs: hp.getDocumentsCount(), hibernating: 0, connections: hp.getConnectionsCount() }),
    /** The RSS documents, loaded through its own fetch and held open by direct connections. */
    open: async () => {
      for (let d = 0; d < RSS_DOCS; d++) open.push(await hp.openDirectConnection(`ann:rss${d}`));
      return hp.getDocumentsCount();
    },
    /** Closes the direct connections; Hocuspocus stores and unloads each document (unloadImmediately). */
    closeAll: async () => {
      const n = open.length;
      await Promise.all(open.map((c) => c.disconnect()));
      open = [];
      while (hp.getDocumentsCount() > 0) await new Promise((r) => setTimeout(r, 20));
      return n;
    },
    load: () => null,
  };
  answerCommands(handlers, url);
}

if (process.argv[2] === '--hocuspocus') {
  hocuspocusChild(process.argv[3]).catch((e) => {
    console.error(e);
    process.exit(1);
  });
}
