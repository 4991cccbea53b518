// An HTTP proxy in front of a test server that logs every request (path, Range, status, bytes sent)
// and can stall blob downloads: after `stallAfter` complete blob responses, the next ones send half
// their body and hold until released, so a test can kill a client mid-blob without guessing a time;
// and can drop the connection halfway through the blobs named in `drop` (a server that dies mid-blob).
import http from 'node:http';

export interface LoggedRequest {
  method: string;
  path: string;
  range: string | null;
  status: number;
  /** Body bytes that reached the client. */
  sent: number;
  complete: boolean;
}

export interface HttpLogProxy {
  url: string;
  log: LoggedRequest[];
  /** Blob downloads stall after this many complete ones (Infinity: never). */
  stallAfter: number;
  /** Blobs (SHA-256) whose responses are cut halfway: half the body, then the socket is destroyed. */
  drop: Set<string>;
  /** Resolves when at least `n` responses are stalled. */
  stalled(n: number): Promise<void>;
  release(): void;
  close(): Promise<void>;
}

const isBlob = (path: string) => /\/blobs\/[0-9a-f]{64}$/.test(path.split('?')[0]);

export async function startHttpLogProxy(target: string): Promise<HttpLogProxy> {
  const to = new URL(target);
  const log: LoggedRequest[] = [];
  let completeBlobs = 0;
  let stalledNow = 0;
  let waiters: Array<{ n: number; resolve: () => void }> = [];
  let releasers: Array<() => void> = [];
  const p: HttpLogProxy = {
    url: '',
    log,
    stallAfter: Infinity,
    drop: new Set(),
    stalled: (n) => new Promise<void>((resolve) => (stalledNow >= n ? resolve() : waiters.push({ n, resolve }))),
    release() {
      const r = releasers;
      releasers = [];
      r.forEach((f) => f());
    },
    close: () =>
      new Promise<void>((resolve) => {
        p.release();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
  const server = http.createServer((req, res) => {
    const entry: LoggedRequest = { method: req.method ?? 'GET', path: req.url ?? '', range: (req.headers.range as string) ?? null, status: 0, sent: 0, complete: false };
    log.push(entry);
    const up = http.request({ host: to.hostname, port: to.port, method: req.method, path: req.url, headers: { ...req.headers, host: to.host } }, async (ur) => {
      entry.status = ur.statusCode ?? 0;
      res.writeHead(entry.status, ur.headers);
      const blob = isBlob(entry.path) && entry.status < 300;
      const stall = blob && completeBlobs >= p.stallAfter;
      const total = Number(ur.headers['content-length'] ?? 0);
      let held = false;
      res.on('error', () => {});
      const dropAt = blob && p.drop.has(entry.path.split('?')[0].split('/').pop()!) ? Math.floor(total / 2) : Infinity;
      for await (const chunk of ur as AsyncIterable<Buffer>) {
        if (entry.sent + chunk.length > dropAt) {
          // Destroyed once the half is handed to the kernel (a write is corked until the next tick).
          ur.destroy();
          res.write(chunk.subarray(0, dropAt - entry.sent), () => res.socket?.destroy());
          entry.sent = dropAt;
          return;
        }
        if (stall && !held && entry.sent + chunk.length > total / 2) {
          const head = chunk.subarray(0, Math.max(0, Math.floor(total / 2) - entry.sent));
          res.write(head);
          entry.sent += head.length;
          held = true;
          stalledNow++;
          waiters = waiters.filter((w) => (stalledNow >= w.n ? (w.resolve(), false) : true));
          await new Promise<void>((r) => releasers.push(r));
          if (res.destroyed) return;
          res.write(chunk.subarray(head.length));
          entry.sent += chunk.length - head.length;
          continue;
        }
        if (res.destroyed) return;
        res.write(chunk);
        entry.sent += chunk.length;
      }
      res.end();
      entry.complete = true;
      if (blob) completeBlobs++;
    });
    up.on('error', () => res.destroy());
    req.pipe(up);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const addr = server.address();
  p.url = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
  return p;
}
