// The filesystem blob store passes the blob store contract, and leaves no temp file behind.
import { readdirSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { blobStoreContract } from '../../ports/blob-store.contract.ts';
import { tempDir } from '../../testing/fixtures.ts';
import { fsBlobStore } from './blob-store.ts';

blobStoreContract('filesystem', () => {
  const t = tempDir();
  return { store: fsBlobStore(join(t.dir, 'blobs')), close: t.cleanup };
});

it('removes the temp file of a failed put', async () => {
  const t = tempDir();
  try {
    const store = fsBlobStore(t.dir);
    async function* failing() {
      yield new Uint8Array(10);
      throw new Error('source failed');
    }
    await expect(store.put(failing())).rejects.toThrow('source failed');
    await expect(store.put(new Uint8Array(100), { maxBytes: 10 })).rejects.toMatchObject({ code: 'payload_too_large' });
    expect(readdirSync(join(t.dir, 'tmp'))).toEqual([]);
  } finally {
    t.cleanup();
  }
});

it('storing bytes that are there already refreshes their time, so a collection cutoff spares them', async () => {
  const t = tempDir();
  try {
    const store = fsBlobStore(t.dir);
    const b = new TextEncoder().encode('orphaned, then uploaded again');
    const { sha256 } = await store.put(b);
    const old = new Date(Date.now() - 48 * 3600 * 1000);
    utimesSync(join(t.dir, sha256.slice(0, 2), sha256), old, old);
    const cutoff = Date.now() - 3600 * 1000;
    for await (const x of store.list()) expect(x.storedAt).toBeLessThan(cutoff);
    expect(await store.put(b)).toMatchObject({ created: false });
    expect(await store.put((async function* () { yield b; })())).toMatchObject({ created: false });
    for await (const x of store.list()) expect(x.storedAt).toBeGreaterThanOrEqual(cutoff);
    expect(await store.delete(sha256, { storedBefore: cutoff })).toBe(false);
    // Temp files of puts in progress are not blobs.
    expect(readdirSync(join(t.dir, 'tmp'))).toEqual([]);
  } finally {
    t.cleanup();
  }
});
