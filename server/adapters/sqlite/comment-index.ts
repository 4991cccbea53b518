// SQLite (drizzle) comment index: comment_messages numbered by their autoincrement seq, and
// comment_reads holding the highest seq each user was shown per image (migration 0010).
import { and, eq, gt, inArray, max, ne, sql } from 'drizzle-orm';
import type { ImageId } from '../../../shared/ids.ts';
import type { CommentIndexRepo } from '../../ports/comment-index.ts';
import type { SyncOf } from '../serial.ts';
import type { Db } from './open.ts';
import { commentMessages, commentReads } from './schema.ts';

export function sqliteCommentIndex(db: Db): SyncOf<CommentIndexRepo> {
  return {
    replace: (projectId, imageId, messages) =>
      db.transaction((tx) => {
        const known = new Set(tx.select({ id: commentMessages.messageId }).from(commentMessages).where(eq(commentMessages.imageId, imageId)).all().map((r) => r.id));
        const wanted = new Set(messages.map((m) => m.id));
        const gone = [...known].filter((id) => !wanted.has(id));
        if (gone.length) tx.delete(commentMessages).where(and(eq(commentMessages.imageId, imageId), inArray(commentMessages.messageId, gone))).run();
        // New ids in the order given, each once.
        const taken = new Set(known);
        const fresh: typeof messages[number][] = [];
        for (const m of messages) {
          if (taken.has(m.id)) continue;
          taken.add(m.id);
          fresh.push(m);
        }
        for (const m of fresh) tx.insert(commentMessages).values({ imageId, projectId, messageId: m.id, threadId: m.threadId, authorId: m.authorId }).run();
        return { added: fresh.length, removed: gone.length };
      }),
    markRead: (userId, imageId) => {
      const top = db.select({ seq: max(commentMessages.seq) }).from(commentMessages).where(eq(commentMessages.imageId, imageId)).get()?.seq ?? 0;
      db.insert(commentReads).values({ userId, imageId, seq: top }).onConflictDoUpdate({ target: [commentReads.userId, commentReads.imageId], set: { seq: sql`max(${commentReads.seq}, excluded.seq)` } }).run();
    },
    unread: (projectId, userId) => {
      const rows = db
        .select({ imageId: commentMessages.imageId, n: sql<number>`count(*)` })
        .from(commentMessages)
        .leftJoin(commentReads, and(eq(commentReads.imageId, commentMessages.imageId), eq(commentReads.userId, userId)))
        .where(and(eq(commentMessages.projectId, projectId), ne(commentMessages.authorId, userId), gt(commentMessages.seq, sql`coalesce(${commentReads.seq}, 0)`)))
        .groupBy(commentMessages.imageId)
        .all();
      return new Map(rows.map((r) => [r.imageId as ImageId, Number(r.n)]));
    },
  };
}
