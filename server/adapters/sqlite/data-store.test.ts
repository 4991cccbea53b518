// The SQLite DataStore passes the repositories contract (a fresh migrated database per test).
import { repositoriesContract } from '../../ports/repositories.contract.ts';
import { reviewContract } from '../../ports/review.contract.ts';
import { tempDb } from '../../testing/fixtures.ts';
import { sqliteDataStore } from './data-store.ts';

repositoriesContract('sqlite', () => {
  const t = tempDb();
  return { store: sqliteDataStore(t.db), close: t.cleanup };
});

reviewContract('sqlite', () => {
  const t = tempDb();
  return { store: sqliteDataStore(t.db), close: t.cleanup };
});
