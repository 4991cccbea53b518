// One client connection inside the core: its principal, its transport, the awareness client ids it
// published, and the send path with the send-buffer limit (a slow reader is closed with 1013).
// What to do with a frame or a close is the host's (the core's) business.
import { CLOSE, type CloseCode } from './protocol.ts';
import type { Room, RoomMember } from './room.ts';
import type { SyncConnection, SyncPrincipal, SyncTransport } from './types.ts';

/** What a connection needs from the core that holds it. */
export interface ConnectionHost {
  readonly opts: { readonly maxBufferedBytes: number };
  receive(conn: Connection, frame: Uint8Array): void;
  /** Detaches the connection and closes its transport with `code`. */
  drop(conn: Connection, code: CloseCode, reason: string): void;
  /** Detaches the connection (its transport is already closed). */
  detach(conn: Connection): void;
}

export class Connection implements RoomMember, SyncConnection {
  readonly clientIds = new Set<number>();
  open = true;
  /** The permission-denied message goes to a read-only connection once. */
  deniedSent = false;
  constructor(
    readonly room: Room,
    readonly principal: SyncPrincipal,
    readonly transport: SyncTransport,
    private readonly host: ConnectionHost,
  ) {}
  get userId() {
    return this.principal.userId;
  }
  send(frame: Uint8Array): void {
    if (!this.open) return;
    try {
      this.transport.send(frame);
    } catch {
      this.host.drop(this, CLOSE.internal, 'send failed');
      return;
    }
    if (this.transport.bufferedAmount() > this.host.opts.maxBufferedBytes) this.host.drop(this, CLOSE.slow, 'send buffer full');
  }
  receive(frame: Uint8Array): void {
    if (!this.open) return;
    this.host.receive(this, frame);
  }
  closed(): void {
    if (this.open) this.host.detach(this);
  }
}
