// Unread comment counts (issue 11): keeps the comment index (ports/comment-index.ts) in step with
// each image's `cmt:` document after every durable change — read through the same reader every
// client uses — and answers, per member, how many messages by others they have not been shown yet.
import { PROJECT_EVENT } from '../../shared/api/events.ts';
import type { UnreadCounts } from '../../shared/api/comments.ts';
import { readThreads } from '../../shared/doc/index.ts';
import { parseDocName, type ImageId, type ProjectId, type UserId } from '../../shared/ids.ts';
import { canSeeImage } from '../../shared/policy.ts';
import type { Role } from '../../shared/roles.ts';
import type { IndexedMessage } from '../ports/comment-index.ts';
import { visibleImage } from './access.ts';
import { coalescePerKey } from './coalesce.ts';
import type { ServiceDeps } from './deps.ts';

type Log = (message: string, details?: Record<string, unknown>) => void;

/** Re-reads one image's comment document into the index; publishes a `comments` event when messages arrived. */
export async function indexComments(s: ServiceDeps, imageId: ImageId): Promise<{ added: number; removed: number }> {
  const image = await s.data.images.byId(imageId);
  if (!image) return { added: 0, removed: 0 };
  const doc = await s.docs.read(`cmt:${imageId}`);
  let messages: IndexedMessage[];
  try {
    messages = readThreads(doc).threads.flatMap((t) => t.messages.map((m) => ({ id: m.id, threadId: t.id, authorId: m.author })));
  } finally {
    doc.destroy();
  }
  const changed = await s.comments.replace(image.projectId, imageId, messages);
  if (changed.added || changed.removed) s.events.publish(image.projectId, { type: PROJECT_EVENT.comments, imageId, assignee: image.assigneeId });
  return changed;
}

/**
 * The sync server's after-update hook for `cmt:` documents. Indexing runs one at a time per
 * document; changes that land while it runs are taken by one more pass, so a burst of messages
 * costs two reads, not one per message. Failures are reported, never thrown at the sync server.
 */
export function commentIndexer(services: () => ServiceDeps, log: Log = console.error) {
  const index = coalescePerKey<[string, ImageId]>(
    (name) => name,
    async (_name: string, imageId: ImageId) => void (await indexComments(services(), imageId)),
    (e, name) => log('indexing comments failed', { doc: name, error: String(e) }),
  );
  return (name: string): void => {
    const parsed = parseDocName(name);
    if (parsed?.kind === 'cmt') index(name, parsed.imageId);
  };
}

/** Unread messages per image the member may see (images without any are left out). */
export async function unreadCounts(s: ServiceDeps, projectId: ProjectId, role: Role, userId: UserId): Promise<UnreadCounts> {
  const counts = await s.comments.unread(projectId, userId);
  const everyImage = canSeeImage(role, userId, { assigneeId: null });
  const out: Record<string, number> = {};
  for (const [imageId, n] of counts) {
    if (!everyImage) {
      const image = await s.data.images.byId(imageId);
      if (!image || !canSeeImage(role, userId, image)) continue;
    }
    out[imageId] = n;
  }
  return { unread: out };
}

/** Marks everything the image's comments hold now as read by the member. */
export async function markCommentsRead(s: ServiceDeps, projectId: ProjectId, role: Role, userId: UserId, imageId: ImageId): Promise<void> {
  await visibleImage(s, projectId, role, userId, imageId);
  await s.comments.markRead(userId, imageId);
}
