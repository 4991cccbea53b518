import { zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { craftZip } from '../testing/zip-craft.ts';
import { readZip, type ZipLimits } from './zip-reader.ts';

const LIMITS: ZipLimits = { maxEntryBytes: 1_000_000, maxTotalBytes: 5_000_000, maxEntries: 100 };
const read = (zip: Uint8Array, limits = LIMITS) => readZip(zip, 'a.zip', limits, { left: limits.maxTotalBytes });
const refusal = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    return { code: (e as { code: string }).code, message: (e as Error).message };
  }
  throw new Error('not refused');
};
const text = (s: string) => new TextEncoder().encode(s);

describe('zip reader', () => {
  it('reads the entries of an ordinary archive (fflate, stored and deflated), skipping folders and dotfiles', () => {
    const zip = zipSync({ 'a.json': text('{"x":1}'), 'img/b.txt': [text('hello'), { level: 0 }], 'img/': new Uint8Array(0), '.DS_Store': text('x') });
    const entries = read(zip);
    expect(entries.map((e) => [e.name, new TextDecoder().decode(e.bytes)])).toEqual([['a.json', '{"x":1}'], ['img/b.txt', 'hello']]);
  });

  it('refuses entries sharing the same data (overlapping-entry bomb) before inflating', () => {
    const zip = craftZip([{ name: 'a.xml', content: new Uint8Array(900_000) }], Array.from({ length: 50 }, (_, i) => ({ local: 0, name: `copy${i}.xml` })));
    expect(zip.length).toBeLessThan(10_000);
    expect(refusal(() => read(zip))).toMatchObject({ code: 'payload_too_large', message: expect.stringMatching(/share the same bytes/) });
  });

  it('stops inflating an entry that lies about its size, at the declared size', () => {
    const zip = craftZip([{ name: 'a.json', content: new Uint8Array(16 * 1024 * 1024) }], [{ local: 0, size: 10 }]);
    expect(refusal(() => read(zip, { ...LIMITS, maxEntryBytes: 1 << 30, maxTotalBytes: 1 << 30 }))).toMatchObject({ code: 'payload_too_large', message: expect.stringMatching(/inflates to more than the 10 bytes it declares/) });
  });

  it('refuses too many entries, too large declared sizes, and a total over the request limit', () => {
    const many = craftZip(Array.from({ length: 101 }, (_, i) => ({ name: `f${i}`, content: text('x') })));
    expect(refusal(() => read(many)).message).toMatch(/101 entries; the limit is 100/);
    const big = craftZip([{ name: 'a.json', content: new Uint8Array(1_000_001) }]);
    expect(refusal(() => read(big)).message).toMatch(/unpacks to 1000001 bytes; the limit is 1000000/);
    const total = craftZip(Array.from({ length: 6 }, (_, i) => ({ name: `f${i}`, content: new Uint8Array(900_000) })));
    expect(refusal(() => read(total)).message).toMatch(/more than 5000000 bytes in all/);
  });

  it('refuses malformed archives with a validation error naming the problem', () => {
    expect(refusal(() => read(text('PK\x03\x04 not really a zip')))).toMatchObject({ code: 'validation', message: expect.stringMatching(/not a readable zip archive/) });
    const stored = craftZip([{ name: 'a', content: text('hello'), method: 0 }], [{ local: 0, size: 3 }]);
    expect(refusal(() => read(stored)).message).toMatch(/declares 3 bytes but holds 5/);
  });
});
