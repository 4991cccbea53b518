// The authorship check on updates from connections: a connection may add comment messages only in
// its own name and may not remove messages other users wrote. Linear in the update: inserted
// values are read from the decoded update, deleted items are looked up in the live document.
// What counts as a message comes from shared/doc/authorship.ts.
import * as Y from 'yjs';
import { messageAuthor } from '../../shared/doc/authorship.ts';

type DecodedUpdate = ReturnType<typeof Y.decodeUpdate>;

/** `forged`: a message in another user's name, or the removal of another user's message. */
export type AuthorshipVerdict = 'ok' | 'forged';

const othersMessage = (item: Y.Item | Y.GC | Y.Skip, userId: string): boolean => {
  if (!(item instanceof Y.Item) || !(item.content instanceof Y.ContentAny)) return false;
  return item.content.arr.some((v) => {
    const author = messageAuthor(v);
    return author !== null && author !== userId;
  });
};

export function checkAuthorship(doc: Y.Doc, update: DecodedUpdate, userId: string): AuthorshipVerdict {
  for (const s of update.structs) if (othersMessage(s, userId)) return 'forged';
  for (const [client, ranges] of update.ds.clients) {
    const structs = doc.store.clients.get(client);
    if (!structs?.length) continue;
    const last = structs[structs.length - 1];
    const end = last.id.clock + last.length;
    for (const r of ranges) {
      const stop = Math.min(r.clock + r.len, end);
      if (r.clock >= stop) continue;
      for (let i = Y.findIndexSS(structs, r.clock); i < structs.length && structs[i].id.clock < stop; i++) {
        const item = structs[i];
        // Already deleted here: a returning client's full delete set repeats old deletions.
        if (item instanceof Y.Item && !item.deleted && othersMessage(item, userId)) return 'forged';
      }
    }
  }
  return 'ok';
}
