// Entry point of the import worker thread: registers tsx (the sources are TypeScript), then loads
// the worker. A plain .mjs so that it starts under any host (tsx CLI, vitest, `tessera serve`).
import { register } from 'tsx/esm/api';

register();
await import('./worker.ts');
