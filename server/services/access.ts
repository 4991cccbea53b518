// Who sees what, decided in one place: a user's role in a project, and whether they see an image,
// its blobs (image and thumbnail bytes) and its documents. Every check goes through
// `canSeeImage` (shared/policy.ts): annotators see the images assigned to them, other roles all.
import { forbidden, notFound } from '../../shared/errors.ts';
import { canSeeImage, docAccess, type DocAccess } from '../../shared/policy.ts';
import { parseDocName, type ImageId, type ProjectId, type Sha256, type UserId } from '../../shared/ids.ts';
import type { Role } from '../../shared/roles.ts';
import type { ImageListFilter, ImageRecord } from '../ports/images.ts';
import type { ServiceDeps } from './deps.ts';

export async function roleIn(s: ServiceDeps, projectId: ProjectId, userId: UserId): Promise<Role | null> {
  return (await s.data.members.get(projectId, userId))?.role ?? null;
}

/** The image, if `userId` (with `role` in its project) may see it; 404 for another project's, 403 for one not assigned to them. */
export async function visibleImage(s: ServiceDeps, projectId: ProjectId, role: Role, userId: UserId, imageId: ImageId): Promise<ImageRecord> {
  const image = await s.data.images.byId(imageId);
  if (!image || image.projectId !== projectId) throw notFound('image');
  if (!canSeeImage(role, userId, image)) throw forbidden('this image is not assigned to you');
  return image;
}

/** The listing filter that shows a member only the images they may see. */
export function visibleImagesFilter(role: Role, userId: UserId): ImageListFilter & { onlyAssignedTo?: UserId } {
  return canSeeImage(role, userId, { assigneeId: null }) ? {} : { onlyAssignedTo: userId };
}

/** Whether `userId` may read the blob: it shows an image (or its thumbnail) they may see. */
export async function canReadBlob(s: ServiceDeps, userId: UserId, sha256: Sha256): Promise<boolean> {
  return (await s.data.images.blobHolders(sha256, userId)).some((h) => canSeeImage(h.role, userId, h));
}

/** What a user may do with a sync document; 'none' for unknown documents and non-members. */
export async function accessToDoc(s: ServiceDeps, userId: UserId, name: string): Promise<{ access: DocAccess; projectId: ProjectId | null }> {
  const parsed = parseDocName(name);
  if (!parsed) return { access: 'none', projectId: null };
  const image = await s.data.images.byId(parsed.imageId);
  if (!image) return { access: 'none', projectId: null };
  const role = await roleIn(s, image.projectId, userId);
  return { access: docAccess(role, userId, image, parsed.kind), projectId: image.projectId };
}
