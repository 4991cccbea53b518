// Reads sizes and orientation from real PNG, JPEG and WebP bytes made by sharp.
import sharp, { type Sharp } from 'sharp';
import { describe, expect, it } from 'vitest';
import { readImageHeader } from './image-header.ts';

const make = (w: number, h: number) => sharp({ create: { width: w, height: h, channels: 3, background: '#3a7' } });
const encoders = {
  jpeg: (s: Sharp) => s.jpeg(),
  png: (s: Sharp) => s.png(),
  webp: (s: Sharp) => s.webp(),
  'webp lossless': (s: Sharp) => s.webp({ lossless: true }),
} as const;
const mimes = { jpeg: 'image/jpeg', png: 'image/png', webp: 'image/webp', 'webp lossless': 'image/webp' };

describe('readImageHeader', () => {
  for (const [name, encode] of Object.entries(encoders)) {
    it(`${name}: size without orientation`, async () => {
      const bytes = await encode(make(37, 21)).toBuffer();
      const r = readImageHeader(bytes);
      expect(r).toEqual({
        ok: true,
        value: { mime: mimes[name as keyof typeof mimes], width: 37, height: 21, orientation: 1, displayWidth: 37, displayHeight: 21 },
      });
    });
    for (const orientation of [3, 6, 8]) {
      it(`${name}: EXIF orientation ${orientation}`, async () => {
        const bytes = await encode(make(40, 10).withMetadata({ orientation })).toBuffer();
        const meta = await sharp(bytes).metadata();
        const r = readImageHeader(bytes);
        expect(r.ok && r.value).toMatchObject({ width: 40, height: 10, orientation: meta.orientation });
        const turned = orientation >= 5;
        expect(r.ok && [r.value.displayWidth, r.value.displayHeight]).toEqual(turned ? [10, 40] : [40, 10]);
      });
    }
  }

  it('reads a large VP8L (lossless) size beyond 8 bits', async () => {
    const bytes = await make(1000, 3000).webp({ lossless: true }).toBuffer();
    expect(readImageHeader(bytes)).toMatchObject({ ok: true, value: { width: 1000, height: 3000 } });
  });

  it('a progressive JPEG (SOF2) is read', async () => {
    const bytes = await make(64, 48).jpeg({ progressive: true }).toBuffer();
    expect(readImageHeader(bytes)).toMatchObject({ ok: true, value: { width: 64, height: 48 } });
  });

  it('says "truncated" when the header is cut short, so the caller can read more', async () => {
    for (const encode of Object.values(encoders)) {
      const bytes = await encode(make(30, 20).withMetadata({ orientation: 6 })).toBuffer();
      const r = readImageHeader(bytes.subarray(0, 20));
      expect(r.ok ? 'ok' : r.error.code).toBe('truncated');
    }
  });

  it('rejects other files as unsupported', () => {
    const gif = new TextEncoder().encode('GIF89a\x01\x00\x01\x00\x00\x00\x00;');
    expect(readImageHeader(gif)).toMatchObject({ ok: false, error: { code: 'unsupported' } });
    expect(readImageHeader(new Uint8Array(3))).toMatchObject({ ok: false, error: { code: 'truncated' } });
  });

  it('rejects a JPEG whose scan starts before any frame header', () => {
    const bytes = Uint8Array.from([0xff, 0xd8, 0xff, 0xda, 0, 2, 0, 0, 0, 0, 0, 0]);
    expect(readImageHeader(bytes)).toMatchObject({ ok: false, error: { code: 'corrupt' } });
  });
});
