import { describe, expect, it } from 'vitest';
import { AppError } from '../../shared/errors.ts';
import { boundaryOf, readMultipart } from './multipart-stream.ts';

const B = 'XyZ-boundary-123';
const enc = new TextEncoder();

function form(parts: { name: string; fileName?: string; type?: string; body: string | Uint8Array }[]): Uint8Array {
  const out: Uint8Array[] = [enc.encode('preamble to ignore\r\n')];
  for (const p of parts) {
    const cd = `form-data; name="${p.name}"${p.fileName !== undefined ? `; filename="${p.fileName}"` : ''}`;
    out.push(enc.encode(`--${B}\r\nContent-Disposition: ${cd}\r\n${p.type ? `Content-Type: ${p.type}\r\n` : ''}\r\n`));
    out.push(typeof p.body === 'string' ? enc.encode(p.body) : p.body);
    out.push(enc.encode('\r\n'));
  }
  out.push(enc.encode(`--${B}--\r\nepilogue`));
  return Buffer.concat(out);
}

/** The bytes in chunks of `size` (1 splits every delimiter and header across chunks). */
async function* chunked(b: Uint8Array, size: number) {
  for (let i = 0; i < b.length; i += size) yield b.subarray(i, i + size);
}

async function collect(src: AsyncIterable<Uint8Array>) {
  const parts = [];
  for await (const p of readMultipart(src, B)) {
    const bufs: Buffer[] = [];
    for await (const c of p.body) bufs.push(Buffer.from(c));
    parts.push({ index: p.index, name: p.name, fileName: p.fileName, contentType: p.contentType, body: Buffer.concat(bufs) });
  }
  return parts;
}

async function failure(src: AsyncIterable<Uint8Array>): Promise<AppError> {
  try {
    await collect(src);
  } catch (e) {
    return e as AppError;
  }
  throw new Error('expected the body to be refused');
}

describe('readMultipart', () => {
  // Binary content with CR, LF, dashes and a near-miss of the delimiter inside.
  const binary = Buffer.concat([Buffer.from([0, 13, 10, 45, 45, 255]), enc.encode(`\r\n--${B.slice(0, -1)}x`), Buffer.alloc(70_000, 7)]);
  const body = form([
    { name: 'format', body: 'coco' },
    { name: 'files', fileName: 'a.png', type: 'image/png', body: binary },
    { name: 'files', fileName: 'empty.txt', body: '' },
  ]);

  for (const size of [1, 7, 100, 65_536, body.length]) {
    it(`gives every part and its exact bytes, in chunks of ${size}`, async () => {
      const parts = await collect(chunked(body, size));
      expect(parts.map((p) => [p.index, p.name, p.fileName, p.contentType])).toEqual([
        [1, 'format', null, null],
        [2, 'files', 'a.png', 'image/png'],
        [3, 'files', 'empty.txt', null],
      ]);
      expect(parts[0].body.toString()).toBe('coco');
      expect(parts[1].body.equals(binary)).toBe(true);
      expect(parts[2].body.length).toBe(0);
    });
  }

  it('skips what a consumer leaves unread and goes on with the next part', async () => {
    const names: string[] = [];
    for await (const p of readMultipart(chunked(body, 1000), B)) {
      names.push(p.name);
      for await (const _ of p.body) break;
    }
    expect(names).toEqual(['format', 'files', 'files']);
  });

  it('takes filename* (UTF-8) over filename, and an empty body', async () => {
    const raw = enc.encode(`--${B}\r\nContent-Disposition: form-data; name="files"; filename="x.png"; filename*=UTF-8''%C3%A9t%C3%A9.png\r\n\r\nhi\r\n--${B}--`);
    expect((await collect(chunked(raw, 3)))[0]).toMatchObject({ fileName: 'été.png' });
    expect(await collect(chunked(enc.encode(`--${B}--\r\n`), 2))).toEqual([]);
  });

  it('refuses a body that ends before the closing boundary, naming the part', async () => {
    const cut = body.subarray(0, body.length - 200);
    const e = await failure(chunked(cut, 4096));
    expect(e).toBeInstanceOf(AppError);
    expect(e.code).toBe('bad_request');
    expect(e.message).toBe('multipart part 2 ("a.png"): the body ended before the closing boundary');
  });

  it('refuses parts without Content-Disposition or name, header lines without a name, and endless headers', async () => {
    const noCd = enc.encode(`--${B}\r\nContent-Type: text/plain\r\n\r\nx\r\n--${B}--`);
    expect((await failure(chunked(noCd, 5))).message).toBe('multipart part 1: no Content-Disposition header');
    const noName = enc.encode(`--${B}\r\nContent-Disposition: form-data; filename="a"\r\n\r\nx\r\n--${B}--`);
    expect((await failure(chunked(noName, 5))).message).toBe('multipart part 1: Content-Disposition has no name');
    const junk = enc.encode(`--${B}\r\nContent-Disposition: form-data; name="a"\r\n\r\nx\r\n--${B}\r\nnot a header\r\n\r\ny\r\n--${B}--`);
    expect((await failure(chunked(junk, 5))).message).toBe('multipart part 2: header line "not a header" has no name');
    const endless = Buffer.concat([enc.encode(`--${B}\r\nContent-Disposition: form-data; name="a"\r\nX: `), Buffer.alloc(20_000, 97)]);
    expect((await failure(chunked(endless, 1000))).message).toBe('multipart part 1: headers longer than 16384 bytes');
  });

  it('refuses a body without the boundary, and junk after a boundary', async () => {
    expect((await failure(chunked(enc.encode('just text'), 2))).message).toBe(`multipart body: no boundary "--${B}" found`);
    expect((await failure(chunked(enc.encode(`--${B}junk\r\n`), 2))).message).toBe('multipart body: the first boundary is not followed by a line break');
  });
});

describe('boundaryOf', () => {
  it('reads plain and quoted boundaries, and names what is wrong', () => {
    expect(boundaryOf('multipart/form-data; boundary=abc')).toBe('abc');
    expect(boundaryOf('multipart/form-data; charset=utf-8; boundary="a b"')).toBe('a b');
    expect(() => boundaryOf('multipart/form-data')).toThrow('multipart content type: no boundary parameter');
    expect(() => boundaryOf('application/json')).toThrow(/multipart\/form-data/);
  });
});
