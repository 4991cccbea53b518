// Both ClientIdRegistry adapters pass the port's contract; the SQLite one also across a reopen.
import { describe, expect, it } from 'vitest';
import { openDb } from './sqlite/open.ts';
import { clientIdRegistryContract } from '../ports/client-ids.contract.ts';
import { tempDir } from '../testing/fixtures.ts';
import { memoryClientIds } from './memory/client-ids.ts';
import { sqliteClientIds } from './sqlite/client-ids.ts';
import { sqliteDataStore } from './sqlite/data-store.ts';

describe('memory client-id registry', () => clientIdRegistryContract(memoryClientIds));
describe('sqlite client-id registry', () => {
  clientIdRegistryContract(() => sqliteClientIds(openDb({ file: ':memory:' })));
  it('binds after a repository transaction open on the connection, not inside it (so its rollback keeps the binding)', async () => {
    const db = openDb({ file: ':memory:' });
    const ids = sqliteClientIds(db);
    const data = sqliteDataStore(db);
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    let entered!: () => void;
    const inside = new Promise<void>((r) => (entered = r));
    const tx = data.transaction(async () => {
      entered();
      await held;
      throw new Error('rolled back');
    });
    await inside;
    ids.bind('cmt:x', [42], 'u1');
    release();
    await expect(tx).rejects.toThrow('rolled back');
    await data.ping(); // the gate's next turn: the binding queued before it has run
    expect(ids.owners('cmt:x')).toEqual(new Map([[42, 'u1']]));
    db.$client.close();
  });

  it('keeps bindings across a reopen of the database file', () => {
    const t = tempDir();
    try {
      const file = `${t.dir}/t.db`;
      const a = openDb({ file });
      sqliteClientIds(a).bind('cmt:x', [42], 'u1');
      a.$client.close();
      const b = openDb({ file });
      expect(sqliteClientIds(b).owners('cmt:x')).toEqual(new Map([[42, 'u1']]));
      b.$client.close();
    } finally {
      t.cleanup();
    }
  });
});
