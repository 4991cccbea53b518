// The bench's reference peer in its own process: the y-websocket server (@y/websocket-server,
// STACK.md's version) on a plain HTTP server, holding documents in memory (it persists only
// through y-leveldb, which the bench does not configure: not durable, unlike Tessera). Answers the
// same IPC commands as the Tessera child where they apply: stats, open (the 1,000 RSS documents,
// from the same stored states), closeAll, load (the 10,000-shape document, from the same log).
import { createServer } from 'node:http';
import { WebSocketServer } from 'ws';
import * as Y from 'yjs';
import { docs, getYDoc, setupWSConnection } from '@y/websocket-server/utils';
import { openDb } from '../../server/adapters/sqlite/open.ts';
import { sqliteUpdateStore } from '../../server/adapters/sqlite/update-store.ts';
import { applyLog } from '../../shared/doc/log.ts';
import { answerCommands } from './child.ts';
import { RSS_DOCS, gc, memory } from './util.ts';

type PeerDoc = Y.Doc & { conns: Map<unknown, unknown> };

export async function peerChild(dataDir: string) {
  const db = openDb({ file: `${dataDir}/tessera.db` });
  const store = sqliteUpdateStore(db);
  const wss = new WebSocketServer({ noServer: true });
  const http = createServer((_req, res) => res.writeHead(404).end());
  http.on('upgrade', (req, socket, head) => {
    const docName = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname.replace(/^\/api\/sync\//, ''));
    wss.handleUpgrade(req, socket, head, (ws) => setupWSConnection(ws, req, { docName }));
  });
  await new Promise<void>((r) => http.listen(0, '127.0.0.1', () => r()));
  const address = http.address();
  const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  const peerDocs = docs as Map<string, PeerDoc>;
  const fill = async (name: string) => {
    const doc = getYDoc(name) as PeerDoc;
    applyLog(doc, await store.load(name));
    return doc;
  };
  const handlers: Record<string, (arg?: string) => unknown> = {
    stats: () => (gc(), { ...memory(), durable: 0, docs: peerDocs.size, hibernating: 0, connections: [...peerDocs.values()].reduce((n, d) => n + d.conns.size, 0) }),
    /** The RSS documents as live Y.Docs (the only way this server holds an open document). */
    open: async () => {
      for (let d = 0; d < RSS_DOCS; d++) await fill(`ann:rss${d}`);
      return peerDocs.size;
    },
    /** Drops documents nobody is connected to (the server itself keeps them without persistence). */
    closeAll: () => {
      let n = 0;
      for (const [name, doc] of peerDocs) if (doc.conns.size === 0) (doc.destroy(), peerDocs.delete(name), n++);
      return n;
    },
    load: async (name) => void (await fill(name!)),
  };
  answerCommands(handlers, url);
}

if (process.argv[2] === '--peer') {
  peerChild(process.argv[3]).catch((e) => {
    console.error(e);
    process.exit(1);
  });
}
