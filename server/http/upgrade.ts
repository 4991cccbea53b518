// What takes over WebSocket upgrades on some paths (the sync server): the one definition that
// main.ts (which routes upgrades to it) and the adapters implementing it share.
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';

export interface UpgradeHandler {
  /** Returns false when the path is not its own. */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): boolean;
  /** Stops accepting, closes every socket and flushes state. */
  close(): Promise<void>;
  /** Re-checks open connections after memberships, assignments or tokens changed. */
  revalidate?(): void;
}
