// The address a request came from: the socket's peer, or — only when the server is configured to
// sit behind a proxy — the first X-Forwarded-For entry. A client-supplied header is never trusted
// otherwise (it would let anyone dodge or aim the login rate limit).
import type { Context } from 'hono';
import { getConnInfo } from '@hono/node-server/conninfo';

export function clientAddress(c: Context, trustProxy: boolean): string {
  if (trustProxy) {
    const forwarded = c.req.header('x-forwarded-for')?.split(',')[0]?.trim();
    if (forwarded) return forwarded;
  }
  try {
    return getConnInfo(c).remote.address ?? 'unknown';
  } catch {
    return 'unknown'; // in-memory requests (app.request in tests) have no socket
  }
}
