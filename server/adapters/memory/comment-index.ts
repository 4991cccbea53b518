// In-memory comment index (tests, and proof that the comment-index contract is not SQLite's).
import type { ImageId } from '../../../shared/ids.ts';
import type { CommentIndexRepo } from '../../ports/comment-index.ts';

interface Row { seq: number; imageId: string; projectId: string; id: string; authorId: string }

export function memoryCommentIndex(): CommentIndexRepo {
  let rows: Row[] = [];
  let seq = 0;
  const reads = new Map<string, number>();
  const readKey = (userId: string, imageId: string) => JSON.stringify([userId, imageId]);
  return {
    async replace(projectId, imageId, messages) {
      const known = new Set(rows.filter((r) => r.imageId === imageId).map((r) => r.id));
      const wanted = new Set(messages.map((m) => m.id));
      const before = rows.length;
      rows = rows.filter((r) => r.imageId !== imageId || wanted.has(r.id));
      const removed = before - rows.length;
      let added = 0;
      for (const m of messages) {
        if (known.has(m.id)) continue;
        known.add(m.id);
        rows.push({ seq: ++seq, imageId, projectId, id: m.id, authorId: m.authorId });
        added++;
      }
      return { added, removed };
    },
    async markRead(userId, imageId) {
      const top = Math.max(0, ...rows.filter((r) => r.imageId === imageId).map((r) => r.seq));
      const k = readKey(userId, imageId);
      reads.set(k, Math.max(reads.get(k) ?? 0, top));
    },
    async unread(projectId, userId) {
      const out = new Map<ImageId, number>();
      for (const r of rows) {
        if (r.projectId !== projectId || r.authorId === userId || r.seq <= (reads.get(readKey(userId, r.imageId)) ?? 0)) continue;
        out.set(r.imageId as ImageId, (out.get(r.imageId as ImageId) ?? 0) + 1);
      }
      return out;
    },
  };
}
