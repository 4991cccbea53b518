// Port for the comment index behind unread counts (issue 11): the messages of each image's `cmt:`
// document as readers see them, numbered in the order the server first saw them, and how far each
// user has read each image. The document is the truth; the index is rebuilt from it after every
// durable change (server/services/comment-index.ts), so a lost index row is repaired by the next one.
import type { ImageId, ProjectId, UserId } from '../../shared/ids.ts';

export interface IndexedMessage {
  id: string;
  threadId: string;
  /** The writer, as the document's readers show it (the sync server lets a peer write only in its own name). */
  authorId: string;
}

export interface CommentIndexRepo {
  /**
   * Makes the image's indexed messages exactly `messages`: new ids get the next sequence numbers in
   * the order given, ids no longer present are dropped, known ids keep theirs. Says what changed.
   */
  replace(projectId: ProjectId, imageId: ImageId, messages: readonly IndexedMessage[]): Promise<{ added: number; removed: number }>;
  /** Marks every message the image has now as read by `userId`. */
  markRead(userId: UserId, imageId: ImageId): Promise<void>;
  /**
   * Per image of the project: the messages not written by `userId` that arrived after the user last
   * read that image (images with none are left out).
   */
  unread(projectId: ProjectId, userId: UserId): Promise<Map<ImageId, number>>;
}
