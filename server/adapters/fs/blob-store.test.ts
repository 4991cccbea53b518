// The filesystem blob store passes the blob store contract, and leaves no temp file behind.
import { readdirSync } from 'node:fs';
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
