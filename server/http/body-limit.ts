// Request body limits on every route, checked while the body streams in (Content-Length first,
// then the bytes actually read), so no handler ever buffers more than its limit: small for anyone
// not signed in (sign-in itself), larger for JSON, the upload limit for multipart uploads.
import type { MiddlewareHandler } from 'hono';
import { AppError } from '../../shared/errors.ts';
import type { AppEnv } from './context.ts';

/**
 * Refuses a body over `maxSize` bytes: at once when Content-Length says so, otherwise the body is
 * counted as the handler reads it and errors with `tooLarge()` on the byte past the limit. (hono's
 * own bodyLimit reads a chunked body whole into memory to count it: a 1 GiB upload would be held.)
 */
export function limitBody(maxSize: number, tooLarge: () => AppError): MiddlewareHandler {
  return async (c, next) => {
    const raw = c.req.raw;
    const declared = raw.headers.get('content-length');
    if (declared !== null && Number(declared) > maxSize) throw tooLarge();
    if (raw.body) {
      let size = 0;
      const counted = raw.body.pipeThrough(
        new TransformStream<Uint8Array, Uint8Array>({
          transform(chunk, ctl) {
            size += chunk.byteLength;
            if (size > maxSize) ctl.error(tooLarge());
            else ctl.enqueue(chunk);
          },
        }),
      );
      c.req.raw = new Request(raw, { body: counted, duplex: 'half' } as RequestInit);
    }
    await next();
  };
}

export interface BodyLimits {
  /** Requests without a signed-in user (sign-in): a username and a password fit in far less. */
  anonymousBytes: number;
  /** JSON (and any other non-multipart body) from a signed-in user. */
  jsonBytes: number;
  /** multipart/form-data from a signed-in user (uploads and imports check their own limits too). */
  uploadBytes: number;
}

const NO_BODY = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Picks the limit for each request; runs after `authenticate`, so it knows who is asking. */
export function limitBodies(limits: BodyLimits): MiddlewareHandler<AppEnv> {
  const make = (maxSize: number, what: string) =>
    limitBody(maxSize, () => new AppError('payload_too_large', `the request body is larger than ${maxSize} bytes, the limit for ${what}`));
  const anonymous = make(limits.anonymousBytes, 'requests before signing in');
  const json = make(limits.jsonBytes, 'JSON bodies');
  const upload = make(limits.uploadBytes, 'uploads');
  return async (c, next) => {
    if (NO_BODY.has(c.req.method)) return next();
    if (!c.get('principal')) return anonymous(c, next);
    return /^multipart\/form-data/i.test(c.req.header('content-type') ?? '') ? upload(c, next) : json(c, next);
  };
}
