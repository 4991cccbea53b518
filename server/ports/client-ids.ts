// The port for client-id ownership (sync client-id binding, server/sync/guards/client-ids.ts): which
// user's connection first wrote under each Yjs client id of a document. Durable, so that the
// binding holds across reconnects and restarts. Synchronous for now, like the update store: a
// document's owners are read when it first takes a write.
export interface ClientIdRegistry {
  /** Client id → owning user id, for one document. */
  owners(docName: string): Map<number, string>;
  /** Records `userId` as the owner of client ids of a document that have none yet (others are kept). */
  bind(docName: string, clientIds: readonly number[], userId: string): void;
}
