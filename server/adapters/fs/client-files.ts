// Serves the built client (client/dist) from disk, with an SPA fallback to index.html for non-API paths.
import type { MiddlewareHandler } from 'hono';
import { AppError } from '../../../shared/errors.ts';
import { readFileSync, statSync } from 'node:fs';
import { extname, join, normalize, sep } from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.webmanifest': 'application/manifest+json',
  '.txt': 'text/plain; charset=utf-8',
};

export function serveClient(root: string): MiddlewareHandler {
  const base = normalize(root + sep);
  const file = (p: string) => {
    let decoded: string;
    try {
      decoded = decodeURIComponent(p);
    } catch {
      throw new AppError('bad_request', `malformed percent-encoding in the path "${p.slice(0, 200)}"`);
    }
    const full = normalize(join(base, decoded));
    if (!full.startsWith(base)) return null;
    try {
      return statSync(full).isFile() ? full : null;
    } catch {
      return null;
    }
  };
  return async (c, next) => {
    const path = c.req.path;
    if ((c.req.method !== 'GET' && c.req.method !== 'HEAD') || path.startsWith('/api/') || path === '/health') return next();
    const hit = file(path) ?? (extname(path) ? null : file('index.html'));
    if (!hit) return next();
    const hashed = path.startsWith('/assets/');
    return c.body(readFileSync(hit), 200, {
      'Content-Type': TYPES[extname(hit)] ?? 'application/octet-stream',
      'Cache-Control': hashed ? 'public, max-age=31536000, immutable' : 'no-cache',
      'X-Content-Type-Options': 'nosniff',
    });
  };
}
