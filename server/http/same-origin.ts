// Refuses state-changing requests that a browser sent from another origin (CSRF): a request whose
// Origin header names another host than the one it was sent to. Scripts send no Origin header.
import type { MiddlewareHandler } from 'hono';
import { AppError } from '../../shared/errors.ts';

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Whether an Origin header (if any) names the host the request was sent to. */
export function sameOrigin(origin: string | undefined | null, host: string | undefined | null): boolean {
  if (!origin) return true;
  if (origin === 'null' || !host) return false;
  try {
    return new URL(origin).host === host;
  } catch {
    return false;
  }
}

export const refuseCrossOrigin: MiddlewareHandler = async (c, next) => {
  if (!SAFE.has(c.req.method) && !sameOrigin(c.req.header('origin'), c.req.header('host'))) {
    throw new AppError('forbidden', `cross-origin request refused (Origin ${c.req.header('origin')})`);
  }
  await next();
};
