// The update-store contract against every adapter, and proof that the contract can fail: a
// memory store that silently drops one update does not pass it.
import { afterAll, describe, expect, it } from 'vitest';
import { updateStoreChecks, updateStoreContract } from '../ports/update-store.contract.ts';
import type { UpdateStore } from '../ports/update-store.ts';
import { tempDb } from '../testing/fixtures.ts';
import { memoryUpdateStore } from './memory/update-store.ts';
import { sqliteDataStore } from './sqlite/data-store.ts';
import { openUpdateJournal } from './sqlite/update-journal.ts';
import { sqliteUpdateStore } from './sqlite/update-store.ts';

const t = tempDb();
afterAll(() => t.cleanup());

describe('sqlite update store (contract)', () => updateStoreContract(() => sqliteUpdateStore(t.db)));
// as `tessera serve` runs it: appends acknowledged from the journal, reads after moving them into the table
const journaled = tempDb();
const journal = openUpdateJournal(journaled.db, `${journaled.file}-updates`);
afterAll(async () => (await journal.close(), journaled.cleanup()));
describe('sqlite update store with its journal (contract)', () => updateStoreContract(() => sqliteUpdateStore(journaled.db)));
describe('memory update store (contract)', () => updateStoreContract(() => memoryUpdateStore()));

/** Test-only: a memory store that loses the third update it is given (as a buggy adapter might). */
function droppingStore(): UpdateStore {
  const inner = memoryUpdateStore();
  let seen = 0;
  const keep = () => ++seen !== 3;
  return {
    ...inner,
    append: async (d, u, user) => (keep() ? inner.append(d, u, user) : undefined),
    appendMany: async (us) => inner.appendMany(us.filter(keep)),
  };
}

describe('the update-store contract', () => {
  it('fails a store that drops one update', async () => {
    const outcomes = await Promise.allSettled(Object.values(updateStoreChecks).map((check) => check(droppingStore)));
    const failed = Object.keys(updateStoreChecks).filter((_, i) => outcomes[i].status === 'rejected');
    expect(failed).toContain('appends and loads in order, per document');
    // and a correct store passes the same checks run the same way
    const good = await Promise.allSettled(Object.values(updateStoreChecks).map((check) => check(memoryUpdateStore)));
    expect(good.filter((o) => o.status === 'rejected')).toEqual([]);
  });
});

describe('sqlite update store', () => {
  it('a group that fails part-way writes none of it', async () => {
    const s = sqliteUpdateStore(t.db);
    const ok = { docName: 'ann:atomic', update: new Uint8Array([0, 0]), userId: 'u' };
    const bad = { docName: 'ann:atomic', update: null as unknown as Uint8Array, userId: 'u' }; // NOT NULL
    await expect(s.appendMany([ok, bad])).rejects.toThrow();
    expect(await s.count('ann:atomic')).toBe(0);
  });

  it('waits for a repository transaction open on the same connection instead of landing inside it (one writer gate)', async () => {
    const data = sqliteDataStore(t.db);
    const s = sqliteUpdateStore(t.db);
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    let entered!: () => void;
    const inside = new Promise<void>((r) => (entered = r));
    const tx = data.transaction(async (r) => {
      await r.audit.append({ at: 1, actorId: null, projectId: null, action: 'x', subject: 'gate', details: null });
      entered();
      await held;
      throw new Error('rolled back');
    });
    await inside;
    const appended = s.append('ann:gate', new Uint8Array([0, 0]), 'u');
    const grouped = s.appendMany([{ docName: 'ann:gate', update: new Uint8Array([0, 0]), userId: 'u' }]);
    release();
    await expect(tx).rejects.toThrow('rolled back');
    await Promise.all([appended, grouped]);
    expect(await s.count('ann:gate')).toBe(2); // written after the rollback, not undone by it
  });
});
