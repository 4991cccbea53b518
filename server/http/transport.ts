// What the browser's connection to us is: HTTPS directly, or behind a trusted reverse proxy that
// says so (X-Forwarded-Proto). Decides the cookie's Secure flag and whether HSTS is sent (never
// over plain http: it would pin a name that has no TLS to HTTPS).
import type { Context, MiddlewareHandler } from 'hono';

export function isHttps(c: Context, trustProxy: boolean): boolean {
  if (trustProxy) {
    const proto = c.req.header('x-forwarded-proto')?.split(',')[0]?.trim().toLowerCase();
    if (proto) return proto === 'https';
  }
  try {
    return new URL(c.req.url).protocol === 'https:';
  } catch {
    return false;
  }
}

/** Strict-Transport-Security, only on responses sent over HTTPS. */
export function hstsOverHttps(trustProxy: boolean): MiddlewareHandler {
  return async (c, next) => {
    await next();
    if (isHttps(c, trustProxy)) c.header('Strict-Transport-Security', 'max-age=15552000; includeSubDomains');
  };
}

/**
 * The Content-Security-Policy for the web app: its own scripts only, no plugins, no framing by
 * other sites (clickjacking), WebSockets to the same server, images from itself and blob:/data:.
 * Inline style attributes stay allowed (the canvas positions elements with them).
 */
export const CONTENT_SECURITY_POLICY = {
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'"],
  styleSrc: ["'self'", "'unsafe-inline'"],
  imgSrc: ["'self'", 'blob:', 'data:'],
  connectSrc: ["'self'", 'ws:', 'wss:'],
  workerSrc: ["'self'"],
  manifestSrc: ["'self'"],
  fontSrc: ["'self'", 'data:'],
  objectSrc: ["'none'"],
  baseUri: ["'self'"],
  formAction: ["'self'"],
  frameAncestors: ["'none'"],
};
