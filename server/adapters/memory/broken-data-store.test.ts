// Proof that the repositories contract can fail: test-only memory stores with one bug each (a
// transaction that neither isolates nor rolls back; image paging that ignores its cursor) fail
// exactly the checks about that, and the correct memory store passes the same checks run the same way.
import { describe, expect, it } from 'vitest';
import { failedChecks, repositoriesChecks } from '../../ports/repositories.contract.ts';
import type { DataStore } from '../../ports/repositories.ts';
import { memoryDataStore } from './data-store.ts';

const fixture = (store: DataStore) => ({ store, close: () => {} });

/** Runs the function on the live repositories: no gate, no copy to restore on failure. */
function noRollback(): DataStore {
  const inner = memoryDataStore();
  return { ...inner, transaction: (fn) => fn(inner) };
}

/** Always answers the first page of images, whatever `after` says. */
function pagingIgnoresCursor(): DataStore {
  const inner = memoryDataStore();
  return { ...inner, images: { ...inner.images, list: (projectId, filter, page) => inner.images.list(projectId, filter, { limit: page.limit }) } };
}

describe('the repositories contract', () => {
  it('fails a store whose transactions do not roll back or isolate, on the transaction checks only', async () => {
    expect(await failedChecks(() => fixture(noRollback()))).toEqual([
      'transactions: commit every write together, and none when the function throws',
      'transactions: serialise read-then-write: concurrent transactions lose no update',
      'transactions: keep uncommitted writes from others: an outside read waits, an outside write is not rolled back',
      'transactions: join an enclosing transaction when nested, and roll back with it',
    ]);
  });

  it('fails a store whose image paging ignores the cursor', async () => {
    expect(await failedChecks(() => fixture(pagingIgnoresCursor()))).toEqual(['images and blobs: pages images in (file name, id) order with status and assignee filters']);
  });

  it('passes the correct memory store, run the same way', async () => {
    expect(repositoriesChecks.length).toBeGreaterThan(10);
    expect(await failedChecks(() => fixture(memoryDataStore()))).toEqual([]);
  });
});
