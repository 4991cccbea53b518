// Port for review state beside the image rows: the review history (every status move, append-only)
// and approved revisions (the `ann:` document as approved, content-addressed and immutable). The
// releases read `latestApproved` and nothing else.
import type { ImageId, ProjectId, Sha256, UserId } from '../../shared/ids.ts';
import type { Provenance } from '../../shared/doc/provenance.ts';
import type { ImageStatus } from '../../shared/roles.ts';

export interface ReviewEventRecord {
  /** Increasing with every append. */
  id: number;
  imageId: ImageId;
  projectId: ProjectId;
  from: ImageStatus;
  to: ImageStatus;
  actorId: UserId;
  at: number;
  /** Why changes were requested (request-changes only). */
  reason: string | null;
  /** The shape a request for changes is about. */
  shapeId: string | null;
}

export interface ApprovedRevisionRecord {
  imageId: ImageId;
  projectId: ProjectId;
  /** SHA-256 (hex) of `update`. */
  sha256: Sha256;
  /** `Y.encodeStateAsUpdate` of the server's `ann:<imageId>` when it was approved. */
  update: Uint8Array;
  /** `Y.encodeStateVector` of the same state. */
  stateVector: Uint8Array;
  approvedBy: UserId;
  approvedAt: number;
  /** Who created and last changed each shape of this state, from the server's record (issue 14); absent on revisions approved before it was kept. */
  provenance?: Provenance;
}

export type RevisionSummary = Omit<ApprovedRevisionRecord, 'update'>;

export interface ReviewRepo {
  appendEvent(e: Omit<ReviewEventRecord, 'id'>): Promise<void>;
  /** One image's history, oldest first. */
  history(imageId: ImageId): Promise<ReviewEventRecord[]>;
  /** The image's most recent move to `to`. */
  lastMoveTo(imageId: ImageId, to: ImageStatus): Promise<ReviewEventRecord | null>;
  /** A project's whole history, oldest first (review statistics). */
  projectHistory(projectId: ProjectId): Promise<ReviewEventRecord[]>;
  /** For each image of the project whose status is `status`: its most recent move to that status. */
  latestMovesTo(projectId: ProjectId, status: ImageStatus): Promise<ReviewEventRecord[]>;
  /** Stores a revision; the same (image, sha256) again is left as it is (revisions are immutable). */
  insertRevision(r: ApprovedRevisionRecord): Promise<void>;
  /** One image's revisions, newest first. */
  revisions(imageId: ImageId): Promise<RevisionSummary[]>;
  revision(imageId: ImageId, sha256: Sha256): Promise<ApprovedRevisionRecord | null>;
  /**
   * The latest approved revision of every image of the project that has one, whatever the image's
   * status now (an approved image edited since keeps its last approved revision), by image id.
   */
  latestApproved(projectId: ProjectId): Promise<ApprovedRevisionRecord[]>;
}
