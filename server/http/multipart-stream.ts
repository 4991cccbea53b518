// A streaming multipart/form-data reader (RFC 7578): parts come out one after another as the
// request arrives, each body an async iterable of chunks, so an upload of any size passes through
// in chunks of the socket's size. Nothing is buffered beyond one chunk plus the delimiter's length
// (and a part's headers, at most 16 KiB). A malformed body is a 400 naming the part and what is
// wrong with it.
import { AppError } from '../../shared/errors.ts';

export interface MultipartPart {
  /** 1-based position in the body (for messages). */
  index: number;
  /** The form field name. */
  name: string;
  /** The file name sent with a file part; null for a text field. */
  fileName: string | null;
  contentType: string | null;
  /** The part's bytes; read it to the end (or not at all) before asking for the next part. */
  body: AsyncIterable<Uint8Array>;
}

const MAX_HEADER_BYTES = 16 * 1024;
const CRLF = Buffer.from('\r\n');
const HEADER_END = Buffer.from('\r\n\r\n');

const bad = (where: string, problem: string) => new AppError('bad_request', `multipart ${where}: ${problem}`);

/** The boundary of a `multipart/form-data; boundary=…` content type, or a 400 saying what is missing. */
export function boundaryOf(contentType: string): string {
  if (!/^multipart\/form-data\s*(;|$)/i.test(contentType)) throw new AppError('unsupported_media_type', 'send files as multipart/form-data, field "files"');
  const m = /;\s*boundary=(?:"([^"]{1,70})"|([^\s;"]{1,70}))/i.exec(contentType);
  if (!m) throw bad('content type', 'no boundary parameter (1 to 70 characters)');
  return m[1] ?? m[2];
}

/** `name="x"; filename="y"` of a Content-Disposition value (filename* in UTF-8 wins). */
function disposition(value: string, where: string): { name: string; fileName: string | null } {
  if (!/^form-data\s*(;|$)/i.test(value)) throw bad(where, `Content-Disposition is "${value.slice(0, 60)}", not form-data`);
  const params = new Map<string, string>();
  for (const m of value.matchAll(/;\s*([A-Za-z*]+)=(?:"((?:[^"\\]|\\.)*)"|([^;]*))/g)) {
    params.set(m[1].toLowerCase(), m[2] !== undefined ? m[2].replace(/\\(.)/g, '$1') : m[3].trim());
  }
  const name = params.get('name');
  if (name === undefined) throw bad(where, 'Content-Disposition has no name');
  let fileName = params.get('filename') ?? null;
  const star = params.get('filename*');
  if (star) {
    const m = /^utf-8''(.*)$/i.exec(star);
    try {
      if (m) fileName = decodeURIComponent(m[1]);
    } catch {
      throw bad(where, 'filename* is not valid percent-encoded UTF-8');
    }
  }
  return { name, fileName };
}

function parseHeaders(raw: Buffer, where: string): Omit<MultipartPart, 'index' | 'body'> {
  const headers = new Map<string, string>();
  for (const line of raw.toString('utf8').split('\r\n')) {
    if (line === '') continue;
    const colon = line.indexOf(':');
    if (colon <= 0) throw bad(where, `header line "${line.slice(0, 60)}" has no name`);
    headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  const cd = headers.get('content-disposition');
  if (cd === undefined) throw bad(where, 'no Content-Disposition header');
  return { ...disposition(cd, where), contentType: headers.get('content-type') ?? null };
}

/**
 * Reads the parts of a multipart body. The source is consumed lazily: the next chunk is read only
 * when the current part's body (or the header search) needs it, so the socket's backpressure holds.
 */
export async function* readMultipart(source: AsyncIterable<Uint8Array>, boundary: string): AsyncGenerator<MultipartPart> {
  const input = source[Symbol.asyncIterator]();
  // The body may start with the boundary itself: a CRLF in front lets one delimiter match both.
  const delimiter = Buffer.from(`\r\n--${boundary}`);
  let buf: Buffer = CRLF;
  let done = false;
  let index = 0;
  let where = 'body';

  async function more(): Promise<boolean> {
    if (done) return false;
    const r = await input.next();
    if (r.done) {
      done = true;
      return false;
    }
    buf = buf.length ? Buffer.concat([buf, r.value]) : Buffer.from(r.value.buffer, r.value.byteOffset, r.value.byteLength);
    return true;
  }

  /** Skips the preamble up to the first delimiter. */
  let at = -1;
  while ((at = buf.indexOf(delimiter)) < 0) {
    // Keep only what could be the start of a delimiter.
    if (buf.length > delimiter.length) buf = buf.subarray(buf.length - delimiter.length);
    if (!(await more())) throw bad('body', `no boundary "--${boundary}" found`);
  }
  buf = buf.subarray(at + delimiter.length);

  for (;;) {
    // After a delimiter: "--" ends the body, CRLF starts a part (transport padding allowed).
    while (buf.length < 2 && (await more()));
    if (buf.length >= 2 && buf[0] === 0x2d && buf[1] === 0x2d) return;
    let eol: number;
    while ((eol = buf.indexOf(CRLF)) < 0 && buf.length < 80 && (await more()));
    if (eol < 0 || !/^[ \t]*$/.test(buf.subarray(0, eol).toString('latin1'))) {
      throw bad(where, index === 0 ? 'the first boundary is not followed by a line break' : 'the boundary after it is not followed by a line break or "--"');
    }
    buf = buf.subarray(eol + 2);
    index++;
    where = `part ${index}`;

    let end: number;
    while ((end = buf.indexOf(HEADER_END)) < 0) {
      // A part with no headers at all starts with the blank line right away.
      if (buf.length >= 2 && buf[0] === 0x0d && buf[1] === 0x0a) break;
      if (buf.length > MAX_HEADER_BYTES) throw bad(where, `headers longer than ${MAX_HEADER_BYTES} bytes`);
      if (!(await more())) throw bad(where, 'the body ended inside the part headers');
    }
    if (end < 0) throw bad(where, 'no Content-Disposition header');
    const head = parseHeaders(buf.subarray(0, end), where);
    where = `part ${index} ("${head.fileName ?? head.name}")`;
    buf = buf.subarray(end + HEADER_END.length);

    let finished = false;
    const partWhere = where;
    async function* body(): AsyncGenerator<Uint8Array> {
      for (;;) {
        const hit = buf.indexOf(delimiter);
        if (hit >= 0) {
          if (hit > 0) yield buf.subarray(0, hit);
          buf = buf.subarray(hit + delimiter.length);
          finished = true;
          return;
        }
        const safe = buf.length - (delimiter.length - 1);
        if (safe > 0) {
          const out = buf.subarray(0, safe);
          buf = buf.subarray(safe);
          yield out;
        }
        if (!(await more())) throw bad(partWhere, 'the body ended before the closing boundary');
      }
    }
    const it = body();
    // Without `return`: a consumer that stops early leaves the rest for the skip below.
    yield { index, ...head, body: { [Symbol.asyncIterator]: () => ({ next: () => it.next() }) } };
    // The consumer may have left the body unread (or half read): skip the rest of it.
    if (!finished) for await (const _ of it);
  }
}
