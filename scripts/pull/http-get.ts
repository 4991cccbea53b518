// Blob GETs for `tessera pull` over node:http(s) with one keep-alive agent of `connections`
// sockets. Not fetch(): when a connection drops mid-body, a WHATWG body stream is errored and the
// chunks still queued in it are thrown away, so a `.part` file would miss bytes that did arrive;
// an IncomingMessage hands over every byte received before it reports the drop.
import http, { type IncomingMessage } from 'node:http';
import https from 'node:https';

export interface BlobResponse {
  status: number;
  header(name: string): string | undefined;
  /** The body, chunk by chunk; throws after the last byte received when the connection drops. */
  body: AsyncIterable<Uint8Array>;
  text(): Promise<string>;
  /** Drops an unread body (the socket is not reused). */
  cancel(): void;
}

export interface BlobGetter {
  get(path: string, headers: Record<string, string>): Promise<BlobResponse>;
  close(): void;
}

export function blobGetter(server: string, token: string, connections: number): BlobGetter {
  const base = new URL(server);
  const lib = base.protocol === 'https:' ? https : http;
  const agent = new lib.Agent({ keepAlive: true, maxSockets: connections });
  return {
    get: (path, headers) =>
      new Promise<BlobResponse>((resolve, reject) => {
        const req = lib.get(new URL(path, base), { agent, headers: { ...headers, Authorization: `Bearer ${token}` } }, (res: IncomingMessage) =>
          resolve({
            status: res.statusCode ?? 0,
            header: (name) => {
              const v = res.headers[name.toLowerCase()];
              return Array.isArray(v) ? v.join(', ') : v;
            },
            body: res,
            async text() {
              let s = '';
              for await (const c of res) s += c;
              return s;
            },
            cancel: () => res.destroy(),
          }),
        );
        req.on('error', (e) => reject(new Error(`cannot reach ${base.origin}: ${e.message}`)));
      }),
    close: () => agent.destroy(),
  };
}
