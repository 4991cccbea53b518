// One client connection inside the core: its principal, its transport, the awareness client ids it
// published, and the send path with the send-buffer limit (a slow reader is closed with 1013).
// What to do with a frame or a close is the host's (the core's) business. `EarlyConnection` holds
// a connection's frames while its document is still loading.
import { tokenBucket, type RateLimit } from './guards/rate.ts';
import { CLOSE, type CloseCode } from './protocol.ts';
import type { Room, RoomMember } from './room.ts';
import type { SyncConnection, SyncPrincipal, SyncTransport } from './types.ts';

/** What a connection needs from the core that holds it. */
export interface ConnectionHost {
  readonly opts: { readonly maxBufferedBytes: number; readonly limits: { readonly messageRate: RateLimit }; now(): number };
  receive(conn: Connection, frame: Uint8Array): void;
  /** Detaches the connection and closes its transport with `code`. */
  drop(conn: Connection, code: CloseCode, reason: string): void;
  /** Detaches the connection (its transport is already closed). */
  detach(conn: Connection): void;
  /** A frame was sent to a transport that holds frames back (`flush`): the host flushes it once the group's relays are sent. */
  held(transport: SyncTransport): void;
}

export class Connection implements RoomMember, SyncConnection {
  readonly clientIds = new Set<number>();
  open = true;
  /** The permission-denied message goes to a read-only connection once. */
  deniedSent = false;
  /** `room.changes` when this connection's sync step 1 was last answered, and when it was last sent one. */
  answeredAt = -1;
  resyncAt = -1;
  readonly ready = Promise.resolve();
  /** The per-connection message rate limit. */
  private readonly take: () => boolean;
  constructor(
    readonly room: Room,
    readonly principal: SyncPrincipal,
    readonly transport: SyncTransport,
    private readonly host: ConnectionHost,
  ) {
    this.take = tokenBucket(host.opts.limits.messageRate, () => host.opts.now());
  }
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
    if (this.transport.flush) this.host.held(this.transport);
    if (this.transport.bufferedAmount() > this.host.opts.maxBufferedBytes) this.host.drop(this, CLOSE.slow, 'send buffer full');
  }
  receive(frame: Uint8Array): void {
    if (!this.open) return;
    if (!this.take()) return this.host.drop(this, CLOSE.slow, 'too many messages');
    this.host.receive(this, frame);
  }
  closed(): void {
    if (this.open) this.host.detach(this);
  }
}

/**
 * A connection whose document is loading: frames are kept (up to `maxEarlyBytes`, then 4413) and
 * handed, in order, to the real connection once the room exists.
 */
export class EarlyConnection implements SyncConnection {
  private frames: Uint8Array[] = [];
  private bytes = 0;
  private conn: Connection | null = null;
  private gone = false;
  readonly ready: Promise<void>;
  private settle!: () => void;
  constructor(
    readonly principal: SyncPrincipal,
    readonly transport: SyncTransport,
    private readonly maxEarlyBytes: number,
    private readonly onGone: (early: EarlyConnection) => void,
  ) {
    this.ready = new Promise((resolve) => (this.settle = resolve));
  }
  get open(): boolean {
    return !this.gone && (this.conn?.open ?? true);
  }
  receive(frame: Uint8Array): void {
    if (this.conn) return this.conn.receive(frame);
    if (this.gone) return;
    this.bytes += frame.byteLength;
    if (this.bytes > this.maxEarlyBytes) return this.refuse(CLOSE.tooLarge, 'too much sent before the document loaded');
    this.frames.push(frame);
  }
  closed(): void {
    if (this.conn) return this.conn.closed();
    if (this.gone) return;
    this.gone = true;
    this.frames = [];
    this.onGone(this);
    this.settle();
  }
  /** Closes the transport before the document loaded (load failed, access gone, server closing). */
  refuse(code: CloseCode, reason: string): void {
    if (this.conn || this.gone) return;
    this.closed();
    try {
      this.transport.close(code, reason);
    } catch {
      /* already gone */
    }
  }
  /** The room is loaded: `attach` makes (and greets) the real connection; the kept frames follow, in order. */
  loaded(attach: () => Connection): void {
    if (this.gone) return;
    const conn = (this.conn = attach());
    this.onGone(this);
    const frames = this.frames;
    this.frames = [];
    for (const f of frames) if (conn.open) conn.receive(f);
    this.settle();
  }
}
