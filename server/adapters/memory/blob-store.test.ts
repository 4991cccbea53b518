// The in-memory blob store passes the blob store contract.
import { expect, it } from 'vitest';
import { blobStoreContract } from '../../ports/blob-store.contract.ts';
import { memoryBlobStore } from './blob-store.ts';

blobStoreContract('memory', () => ({ store: memoryBlobStore(), close: () => {} }));

it('storing bytes that are there already refreshes their time (memory clock)', async () => {
  let clock = 1000;
  const store = memoryBlobStore({ now: () => clock });
  const b = new TextEncoder().encode('again');
  const { sha256 } = await store.put(b);
  clock = 5000;
  expect(await store.put(b)).toMatchObject({ created: false });
  const listed = [];
  for await (const x of store.list()) listed.push(x);
  expect(listed).toEqual([{ sha256, size: 5, storedAt: 5000 }]);
  expect(await store.delete(sha256, { storedBefore: 5000 })).toBe(false);
  expect(await store.delete(sha256, { storedBefore: 5001 })).toBe(true);
});
