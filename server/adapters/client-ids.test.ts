// Both ClientIdRegistry adapters pass the port's contract; the SQLite one also across a reopen.
import { describe, expect, it } from 'vitest';
import { openDb } from './sqlite/open.ts';
import { clientIdRegistryContract } from '../ports/client-ids.contract.ts';
import { tempDir } from '../testing/fixtures.ts';
import { memoryClientIds } from './memory/client-ids.ts';
import { sqliteClientIds } from './sqlite/client-ids.ts';

describe('memory client-id registry', () => clientIdRegistryContract(memoryClientIds));
describe('sqlite client-id registry', () => {
  clientIdRegistryContract(() => sqliteClientIds(openDb({ file: ':memory:' })));
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
