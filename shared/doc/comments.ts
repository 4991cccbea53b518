// Typed accessors for `cmt:` documents: open a thread anchored to a shape or a point, post a
// message, resolve or reopen, read through the restore step, and observe changes for UIs.
import * as Y from 'yjs';
import { uuidv4 } from 'lib0/random';
import { restoreThread, type RestoreProblem } from './restore.ts';
import { ROOT, THREAD, type Anchor, type DocThread, type Message, type ThreadId, type WriteMeta } from './schema.ts';

export const threadsMap = (doc: Y.Doc) => doc.getMap<unknown>(ROOT.threads);

function checkAnchor(a: Anchor): Anchor {
  if ('shapeId' in a) {
    if (typeof a.shapeId !== 'string' || a.shapeId === '') throw new RangeError('anchor needs a shape id');
    return { shapeId: a.shapeId };
  }
  if (!Number.isFinite(a.x) || !Number.isFinite(a.y)) throw new RangeError('anchor point must be finite');
  return { x: a.x, y: a.y };
}

const message = (text: string, meta: WriteMeta): Message => ({
  id: uuidv4(),
  author: meta.author,
  text,
  at: meta.now ?? Date.now(),
});

/** Opens a thread with its first message; returns the thread id. */
export function openThread(doc: Y.Doc, input: { id?: ThreadId; anchor: Anchor; text: string }, meta: WriteMeta): ThreadId {
  const anchor = checkAnchor(input.anchor);
  const id = input.id ?? uuidv4();
  doc.transact(() => {
    const t = new Y.Map<unknown>();
    const messages = new Y.Array<Message>();
    messages.push([message(input.text, meta)]);
    t.set(THREAD.anchor, anchor);
    t.set(THREAD.resolved, false);
    t.set(THREAD.messages, messages);
    threadsMap(doc).set(id, t);
  }, meta.origin);
  return id;
}

function liveThread(doc: Y.Doc, id: ThreadId): Y.Map<unknown> | null {
  const t = threadsMap(doc).get(id);
  return t instanceof Y.Map ? t : null;
}

/** Appends a message; false when the thread does not exist or is unreadable. */
export function postMessage(doc: Y.Doc, threadId: ThreadId, text: string, meta: WriteMeta): boolean {
  const t = liveThread(doc, threadId);
  const messages = t?.get(THREAD.messages);
  if (!(messages instanceof Y.Array)) return false;
  doc.transact(() => messages.push([message(text, meta)]), meta.origin);
  return true;
}

export function resolveThread(doc: Y.Doc, threadId: ThreadId, resolved = true, meta: Pick<WriteMeta, 'origin'> = {}): boolean {
  const t = liveThread(doc, threadId);
  if (!t) return false;
  doc.transact(() => t.set(THREAD.resolved, resolved), meta.origin);
  return true;
}

export interface ThreadsRead {
  /** Valid threads ordered by id. */
  threads: DocThread[];
  problems: RestoreProblem[];
}

export function readThreads(doc: Y.Doc): ThreadsRead {
  const threads: DocThread[] = [];
  const problems: RestoreProblem[] = [];
  const entries = [...threadsMap(doc).entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  for (const [id, entry] of entries) {
    const r = restoreThread(id, entry);
    if (r.ok) threads.push(r.value);
    else problems.push(r.problem);
  }
  return { threads, problems };
}

/** Calls `fn` with the ids of threads touched by each transaction. Returns the unsubscribe function. */
export function observeThreads(doc: Y.Doc, fn: (change: { ids: Set<ThreadId>; local: boolean; origin: unknown }) => void): () => void {
  const threads = threadsMap(doc);
  const handler = (events: Y.YEvent<any>[], tx: Y.Transaction) => {
    const ids = new Set<ThreadId>();
    for (const e of events) {
      if (e.target === threads) for (const k of (e as Y.YMapEvent<unknown>).keysChanged) ids.add(k);
      else if (typeof e.path[0] === 'string') ids.add(e.path[0]);
    }
    if (ids.size) fn({ ids, local: tx.local, origin: tx.origin });
  };
  threads.observeDeep(handler);
  return () => threads.unobserveDeep(handler);
}
