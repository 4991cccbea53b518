// Bridges a `cmt:` document to a Solid store of threads (observe → store → unobserve on cleanup).
import { onCleanup } from 'solid-js';
import { createStore, reconcile } from 'solid-js/store';
import { observeThreads, openThread, postMessage, readThreads, resolveThread, type Anchor, type DocThread, type ThreadId } from '../../../shared/doc/index.ts';
import type { DocConnection } from '../sync/connection.ts';

export type Thread = DocThread;

export interface CommentsState {
  threads: readonly Thread[];
  open(anchor: Anchor, text: string): ThreadId;
  reply(threadId: ThreadId, text: string): void;
  resolve(threadId: ThreadId, resolved: boolean): void;
}

export function useComments(conn: DocConnection, author: string): CommentsState {
  const [state, setState] = createStore<{ threads: Thread[] }>({ threads: [] });
  const refresh = () => setState('threads', reconcile(readThreads(conn.doc).threads, { key: 'id' }));
  refresh();
  onCleanup(observeThreads(conn.doc, refresh));
  return {
    get threads() {
      return state.threads;
    },
    open: (anchor, text) => openThread(conn.doc, { anchor, text }, { author }),
    reply: (threadId, text) => void postMessage(conn.doc, threadId, text, { author }),
    resolve: (threadId, resolved) => void resolveThread(conn.doc, threadId, resolved),
  };
}
