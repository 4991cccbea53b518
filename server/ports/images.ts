// Ports for images (rows: file name, size, review status, assignee) and blob metadata (the bytes
// live behind the BlobStore port).
import type { ImageId, ProjectId, Sha256, UserId } from '../../shared/ids.ts';
import type { ImageStatus, Role } from '../../shared/roles.ts';

export interface ImageRecord {
  id: ImageId;
  projectId: ProjectId;
  sha256: Sha256;
  fileName: string;
  mime: string;
  /** As displayed, after EXIF orientation. */
  width: number;
  height: number;
  orientation: number;
  thumbSha256: Sha256 | null;
  status: ImageStatus;
  assigneeId: UserId | null;
  createdAt: number;
  createdBy: UserId;
}

export interface ImageListFilter {
  status?: ImageStatus;
  /** A user id, or null for unassigned images. */
  assigneeId?: UserId | null;
}

export interface ImageRepo {
  /** Inserts an image; the same bytes twice in one project is a `conflict` AppError. */
  insert(image: ImageRecord): Promise<void>;
  byId(id: ImageId): Promise<ImageRecord | null>;
  /** An image's project and review status alone: what the sync server's after-update hook reads after every durable update. */
  statusOf(id: ImageId): Promise<Pick<ImageRecord, 'projectId' | 'status'> | null>;
  bySha(projectId: ProjectId, sha256: Sha256): Promise<ImageRecord | null>;
  /** The project's images among `ids` (unknown ones and other projects' left out). */
  byIds(projectId: ProjectId, ids: readonly ImageId[]): Promise<ImageRecord[]>;
  /** One page in (file name, id) order, after the position `after`. */
  list(projectId: ProjectId, filter: ImageListFilter, page: { limit: number; after?: { fileName: string; id: string } }): Promise<ImageRecord[]>;
  /** Every image of a project (id, name, size), for imports and usage counts. */
  listAll(projectId: ProjectId): Promise<Pick<ImageRecord, 'id' | 'fileName' | 'width' | 'height'>[]>;
  setAssignment(id: ImageId, assigneeId: UserId | null, status: ImageStatus): Promise<void>;
  /** How many images of the project each (assignee, status) pair has; pairs with none left out. */
  countByStatus(projectId: ProjectId, onlyAssignedTo?: UserId): Promise<{ assigneeId: UserId | null; status: ImageStatus; count: number }[]>;
  /** Moves the status from `from` to `to` only if it is still `from`; returns whether it moved. */
  moveStatus(id: ImageId, from: ImageStatus, to: ImageStatus): Promise<boolean>;
  /** For each image showing this blob (as image or thumbnail) in a project `userId` is in: their role and its assignee. */
  blobHolders(sha256: Sha256, userId: UserId): Promise<{ role: Role; assigneeId: UserId | null }[]>;
  /** The thumbnail stored for an image with these bytes, in any project. */
  thumbnailOf(sha256: Sha256): Promise<{ sha256: Sha256; size: number } | null>;
  /** Of `shas`, the blobs some image shows, as its bytes or its thumbnail, in any project. */
  blobsInUse(shas: readonly Sha256[]): Promise<Sha256[]>;
}

export interface BlobRecord {
  sha256: Sha256;
  size: number;
  mime: string;
  createdAt: number;
}

export interface BlobMetaRepo {
  /** Records a blob; a known one is left as it is. */
  insertIfAbsent(blob: BlobRecord): Promise<void>;
  get(sha256: Sha256): Promise<BlobRecord | null>;
  /** Forgets a blob's metadata (its bytes are gone); false when there was none. */
  remove(sha256: Sha256): Promise<boolean>;
}
