// Helpers over byte streams (async iterables of chunks): look at the first bytes without losing
// them, and collect a stream whole under a size cap. No I/O of their own.
import { concatBytes } from '../../shared/bytes.ts';
import { AppError } from '../../shared/errors.ts';

/** The first `n` bytes (fewer when the stream is shorter), and the whole stream again from byte 0. */
export async function withHead(source: AsyncIterable<Uint8Array>, n: number): Promise<{ head: Uint8Array; all: AsyncIterable<Uint8Array> }> {
  const it = source[Symbol.asyncIterator]();
  const seen: Uint8Array[] = [];
  let have = 0;
  let ended = false;
  while (have < n) {
    const r = await it.next();
    if (r.done) {
      ended = true;
      break;
    }
    seen.push(r.value);
    have += r.value.byteLength;
  }
  const head = concatBytes(seen).subarray(0, n);
  async function* all() {
    yield* seen;
    if (ended) return;
    for (;;) {
      const r = await it.next();
      if (r.done) return;
      yield r.value;
    }
  }
  return { head, all: all() };
}

/** The stream's bytes in one array; over `maxBytes`, a 413 that says what was too large. */
export async function collectBytes(source: AsyncIterable<Uint8Array>, maxBytes: number, what: string): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  let size = 0;
  for await (const c of source) {
    size += c.byteLength;
    if (size > maxBytes) throw new AppError('payload_too_large', `${what} is larger than ${maxBytes} bytes`);
    parts.push(c.slice());
  }
  return concatBytes(parts);
}
