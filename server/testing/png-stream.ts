// A large, valid PNG generated as a stream (stored deflate blocks, so no compression work), with its
// SHA-256 worked out as it goes: tests upload hundreds of megabytes without holding them anywhere.
import { createHash } from 'node:crypto';
import { crc32 } from 'node:zlib';

function chunk(type: string, data: Uint8Array): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.byteLength, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(data, crc32(head.subarray(4))) >>> 0, 0);
  return Buffer.concat([head, data, crc]);
}

function adler32(a: number, b: number, data: Uint8Array): [number, number] {
  for (let i = 0; i < data.length; ) {
    const end = Math.min(i + 5552, data.length);
    for (; i < end; i++) {
      a += data[i];
      b += a;
    }
    a %= 65521;
    b %= 65521;
  }
  return [a, b];
}

/**
 * An RGB PNG of `width` × `height` whose row `y` is grey level `y & 255`, in chunks of about
 * `rowsPerChunk` rows. `digest()` is the SHA-256 (hex) of every byte yielded, once the stream ended.
 */
export function pngStream(width: number, height: number, rowsPerChunk = 32) {
  const hash = createHash('sha256');
  let digest: string | null = null;
  const rowBytes = 1 + width * 3;
  async function* bytes(): AsyncGenerator<Uint8Array> {
    const ihdr = Buffer.alloc(13);
    ihdr.writeUInt32BE(width, 0);
    ihdr.writeUInt32BE(height, 4);
    ihdr.set([8, 2, 0, 0, 0], 8);
    const out = (b: Buffer) => (hash.update(b), b);
    yield out(Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr)]));
    let a = 1;
    let b = 0;
    const row = Buffer.alloc(rowBytes);
    for (let y0 = 0; y0 < height; y0 += rowsPerChunk) {
      const rows = Math.min(rowsPerChunk, height - y0);
      const raw = Buffer.alloc(rows * rowBytes);
      for (let r = 0; r < rows; r++) {
        row.fill((y0 + r) & 255, 1);
        row.copy(raw, r * rowBytes);
      }
      [a, b] = adler32(a, b, raw);
      const parts: Buffer[] = y0 === 0 ? [Buffer.from([0x78, 0x01])] : [];
      const last = y0 + rows >= height;
      for (let off = 0; off < raw.length; off += 65535) {
        const len = Math.min(65535, raw.length - off);
        const h = Buffer.alloc(5);
        h[0] = last && off + len >= raw.length ? 1 : 0;
        h.writeUInt16LE(len, 1);
        h.writeUInt16LE(~len & 0xffff, 3);
        parts.push(h, raw.subarray(off, off + len));
      }
      if (last) {
        const sum = Buffer.alloc(4);
        sum.writeUInt32BE(((b << 16) | a) >>> 0, 0);
        parts.push(sum);
      }
      yield out(chunk('IDAT', Buffer.concat(parts)));
    }
    yield out(chunk('IEND', new Uint8Array(0)));
    digest = hash.digest('hex');
  }
  return {
    bytes: bytes(),
    digest: () => {
      if (!digest) throw new Error('the PNG stream has not been read to the end');
      return digest;
    },
  };
}
