// Who may change which comment messages, judged on what readers see: the messages of a thread are
// whatever `restoreThread` (the reader every client uses) makes of it, so there is one definition
// of "a message" whatever shape a peer wrote (plain or Y types, missing fields, JSON content). A
// writer may add, change and remove only messages in its own name. Pure schema knowledge, no I/O.
// Shape `author` is the creator as the client recorded it (an undo of a deletion restores it) and
// is not judged; the server's update log records who really sent every change.
import type * as Y from 'yjs';
import { threadsMap } from './comments.ts';
import { restoreThread } from './restore.ts';
import type { Message, ThreadId } from './schema.ts';

/** The messages of one thread as readers show them (none when the thread is missing or unreadable). */
export function threadMessages(doc: Y.Doc, threadId: ThreadId): Message[] {
  const entry = threadsMap(doc).get(threadId);
  if (entry === undefined) return [];
  const r = restoreThread(threadId, entry);
  return r.ok ? r.value.messages : [];
}

export type AuthorshipVerdict = { ok: true } | { ok: false; message: string };

const key = (m: Message) => JSON.stringify([m.id, m.author, m.text, m.at]);

/**
 * Whether `sender` may turn a thread whose readers showed `before` into one showing `after`: every
 * message naming someone else after the change was there before, unchanged, and none of those
 * vanished. Messages are compared whole (id, author, text, time), as many times as they appear.
 */
export function judgeThreadChange(
  threadId: ThreadId,
  before: readonly Message[],
  after: readonly Message[],
  sender: string,
): AuthorshipVerdict {
  const others = new Map<string, number>();
  for (const m of before) if (m.author !== sender) others.set(key(m), (others.get(key(m)) ?? 0) + 1);
  for (const m of after) {
    if (m.author === sender) continue;
    const k = key(m);
    const n = others.get(k) ?? 0;
    if (n === 0) {
      const who = m.author === '' ? 'no author' : `author ${JSON.stringify(m.author)}`;
      return { ok: false, message: `threads/${threadId}: a message with ${who} that the sender did not write` };
    }
    others.set(k, n - 1);
  }
  for (const [k, n] of others) {
    if (n > 0) {
      const [id, author] = JSON.parse(k) as [string, string];
      return { ok: false, message: `threads/${threadId}: message ${JSON.stringify(id)} by ${JSON.stringify(author)} changed or removed` };
    }
  }
  return { ok: true };
}
