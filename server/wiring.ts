// The production wiring of optional parts into startServer: the sync server and label usage.
import type { StartOptions } from './main.ts';
import { classUsage } from './sync/usage.ts';
import { createSyncServer } from './sync/ws.ts';

export const wireSync: StartOptions = {
  upgrades: ({ db }) => [createSyncServer({ db })],
  classUsage: ({ db }) => classUsage(db),
};
