// The production wiring of optional parts into startServer: the sync server (with the review
// hook that moves edited images to in_progress) and server-side document writes through it.
import type { StartOptions, UpgradeHandler } from './main.ts';
import { editRecorder } from './services/review.ts';
import { coreDocWriter } from './sync/doc-writer.ts';
import { createSyncServer, type SyncServer, type SyncServerOptions } from './sync/ws.ts';

const isSyncServer = (u: UpgradeHandler): u is SyncServer => 'core' in u;

/** Wiring with sync; `options` reach the sync server (tests pass timings and a quiet log). */
export function withSync(options: Omit<SyncServerOptions, 'db'> = {}): StartOptions {
  return {
    upgrades: ({ db, config }) => [createSyncServer({ db, onUpdate: editRecorder(db), trustProxy: config.trustProxy, ...options })],
    docs: (_parts, upgrades) => coreDocWriter(upgrades.find(isSyncServer)!.core),
  };
}

export const wireSync: StartOptions = withSync();
