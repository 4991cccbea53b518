// The in-memory DataStore passes the repositories contract.
import { repositoriesContract } from '../../ports/repositories.contract.ts';
import { reviewContract } from '../../ports/review.contract.ts';
import { memoryDataStore } from './data-store.ts';

repositoriesContract('memory', () => ({ store: memoryDataStore(), close: () => {} }));

reviewContract('memory', () => ({ store: memoryDataStore(), close: () => {} }));
