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

/**
 * The host the browser addressed: the Host header, or behind a trusted reverse proxy the first
 * X-Forwarded-Host (proxies such as nginx rewrite Host unless told `proxy_set_header Host $host`).
 */
export function requestHost(header: (name: string) => string | undefined, trustProxy: boolean): string | undefined {
  const forwarded = trustProxy ? header('x-forwarded-host')?.split(',')[0]?.trim() : undefined;
  return forwarded || header('host');
}

export function refuseCrossOrigin(trustProxy: boolean): MiddlewareHandler {
  return async (c, next) => {
    if (!SAFE.has(c.req.method) && !sameOrigin(c.req.header('origin'), requestHost((n) => c.req.header(n), trustProxy))) {
      throw new AppError('forbidden', `cross-origin request refused (Origin ${c.req.header('origin')})`);
    }
    await next();
  };
}
