// What every service function is given: the ports it works through and the hooks it calls. Built
// once in server/main.ts (tests build their own over temp or in-memory adapters).
import type { BlobReferenceSource } from '../ports/blob-references.ts';
import type { BlobStore } from '../ports/blob-store.ts';
import type { CommentIndexRepo } from '../ports/comment-index.ts';
import type { EventBus } from '../ports/event-bus.ts';
import type { DataStore } from '../ports/repositories.ts';
import type { ClassUsage } from './classes.ts';
import type { DocWriter } from './doc-writer.ts';

export interface ServiceDeps {
  data: DataStore;
  blobs: BlobStore;
  /** Server-side writes to Yjs documents (through the sync server when it holds them). */
  docs: DocWriter;
  /** Counts shapes and tags using a label class (annotations live in Yjs documents). */
  classUsage: ClassUsage;
  /**
   * Called by the services that change memberships, assignments and tokens, after the change is
   * committed: open sync connections re-check their access.
   */
  accessChanged(): void;
  limits: { maxImageBytes: number };
  /** The project event stream (SSE): services publish what changed (job states, review, releases). */
  events: EventBus;
  /** The comment index behind unread counts, kept in step with the `cmt:` documents (services/comment-index.ts). */
  comments: CommentIndexRepo;
  /**
   * Holders of blobs beyond images and thumbnails (job data; releases, cached exports and run links
   * as they come), made fresh for each garbage collection run (services/blob-gc.ts).
   */
  blobReferences?(): BlobReferenceSource[];
}
