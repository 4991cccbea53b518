// The fan-out port: document updates and presence between sync nodes. Each node subscribes to the
// documents it holds; what one node publishes for a document reaches every OTHER node subscribed
// to it (never its own subscription), in the order that node published it. Updates are published
// only once durable, so a receiving node applies them without storing them again. In-process
// adapter now (server/adapters/memory/fanout.ts); Redis pub/sub later. Contract: fanout.contract.ts.

export const FANOUT_KIND = { update: 'update', awareness: 'awareness' } as const;
export type FanoutKind = (typeof FANOUT_KIND)[keyof typeof FANOUT_KIND];

export interface FanoutMessage {
  kind: FanoutKind;
  /** A Yjs update, or a y-protocols awareness update. */
  payload: Uint8Array;
}

/** One node's subscription to one document. */
export interface FanoutTopic {
  /** Sends to every other node subscribed to this document. */
  publish(message: FanoutMessage): void;
  /** Stops delivery to this subscription (idempotent). */
  close(): void;
}

/** One node's connection to the fan-out bus. */
export interface Fanout {
  subscribe(docName: string, deliver: (message: FanoutMessage) => void): FanoutTopic;
  /** Closes every subscription of this node. */
  close(): Promise<void>;
}
