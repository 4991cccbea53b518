// The guard of upload routes (images, imports): the whole-request size limit, counted as the body
// streams in (413 naming the limit), and a clean refusal. An upload is read as it arrives, so a
// refusal can come before the client sent all of it: up to LINGER_BYTES more are read and dropped
// so that the client, still sending, gets to read the answer; past that the connection is closed
// (`Connection: close`: the unread rest means it cannot carry another request).
import { createMiddleware } from 'hono/factory';
import { AppError } from '../../shared/errors.ts';
import { limitBody } from './body-limit.ts';
import { onError } from './errors.ts';

const LINGER_BYTES = 1024 * 1024;

/** Reads and drops the rest of a body, up to `max` bytes; true when it reached the end. */
async function drain(body: ReadableStream<Uint8Array> | null, max: number): Promise<boolean> {
  if (!body || body.locked) return !body;
  const reader = body.getReader();
  let read = 0;
  try {
    for (;;) {
      const r = await reader.read();
      if (r.done) return true;
      read += r.value.byteLength;
      if (read > max) {
        await reader.cancel();
        return false;
      }
    }
  } catch {
    return false;
  }
}

export const uploadLimit = (maxBytes: number) => {
  const limit = limitBody(maxBytes, () => new AppError('payload_too_large', `the upload is larger than ${maxBytes} bytes`));
  return createMiddleware(async (c, next) => {
    try {
      await limit(c, next);
    } catch (e) {
      c.res = onError(e as Error, c);
    }
    if (c.res.status >= 400 && !(await drain(c.req.raw.body, LINGER_BYTES))) c.res.headers.set('connection', 'close');
  });
};
