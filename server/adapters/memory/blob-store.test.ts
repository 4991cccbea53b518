// The in-memory blob store passes the blob store contract.
import { blobStoreContract } from '../../ports/blob-store.contract.ts';
import { memoryBlobStore } from './blob-store.ts';

blobStoreContract('memory', () => ({ store: memoryBlobStore(), close: () => {} }));
