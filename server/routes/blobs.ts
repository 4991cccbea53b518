// Blob bytes by SHA-256, for members who see an image showing them: ETag (revalidated each time, so access is re-checked), Range.
import { Hono } from 'hono';
import { principalOf, requireUser, type AppDeps, type AppEnv } from '../http/context.ts';
import { matchesEtag, parseRange } from '../http/range.ts';
import { NoQuery } from '../../shared/api/common.ts';
import { queryOf } from '../http/validate.ts';
import { openBlob } from '../services/blobs.ts';

export function blobRoutes(deps: AppDeps) {
  const app = new Hono<AppEnv>();
  app.get('/blobs/:sha256', requireUser, async (c) => {
    queryOf(c, NoQuery);
    const blob = await openBlob(deps.services, principalOf(c).user.id, c.req.param('sha256'));
    const etag = `"${blob.sha256}"`;
    const headers: Record<string, string> = {
      ETag: etag,
      'Cache-Control': 'private, no-cache', // the service worker keeps offline copies, cleared on sign-in and sign-out
      'Accept-Ranges': 'bytes',
      'Content-Type': blob.mime,
    };
    if (matchesEtag(c.req.header('if-none-match'), etag)) return c.body(null, 304, headers);
    const range = parseRange(c.req.header('range'), blob.size);
    if (range === 'invalid') return c.body(null, 416, { ...headers, 'Content-Range': `bytes */${blob.size}` });
    if (range) {
      return c.body(await blob.read(range), 206, { ...headers, 'Content-Range': `bytes ${range.start}-${range.end}/${blob.size}`, 'Content-Length': String(range.end - range.start + 1) });
    }
    return c.body(await blob.read(), 200, { ...headers, 'Content-Length': String(blob.size) });
  });
  return app;
}
