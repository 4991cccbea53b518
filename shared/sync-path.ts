// Where the sync socket lives: `ws(s)://HOST/api/sync/<docName>`. The one definition the server's
// WebSocket adapter, the web client and the Node client share.
export const SYNC_PATH = '/api/sync';

/** The path of one document's socket. */
export const syncDocPath = (docName: string) => `${SYNC_PATH}/${encodeURIComponent(docName)}`;
