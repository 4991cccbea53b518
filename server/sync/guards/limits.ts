// The sync server's quotas in one place, with their defaults: what one update, one connection and
// one document may cost. Every limit is an option of createSyncCore (`limits`).
import { MESSAGE_RATE, type RateLimit } from './rate.ts';
import { UPDATE_LIMITS, type UpdateLimits } from './update-shape.ts';

export interface SyncLimits extends UpdateLimits {
  /** A document's stored size (its log, compacted when it would pass this) may not exceed this: 4413. */
  maxDocBytes: number;
  /** Messages per connection: past the bucket the connection is closed (1013, it may reconnect). */
  messageRate: RateLimit;
  /** Awareness client ids one connection may publish (a tab has one). */
  maxAwarenessClients: number;
  /** Size of one awareness state as JSON; larger states are dropped. */
  maxAwarenessStateBytes: number;
}

export const SYNC_LIMITS = {
  ...UPDATE_LIMITS,
  maxDocBytes: 32 * 1024 * 1024,
  messageRate: MESSAGE_RATE,
  maxAwarenessClients: 4,
  maxAwarenessStateBytes: 8 * 1024,
} as const satisfies SyncLimits;
