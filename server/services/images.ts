// Images of a project: listing with filters and paging, one image, assignment. Uploads are in
// uploads.ts; who sees which image is decided in access.ts.
import { badRequest, notFound } from '../../shared/errors.ts';
import { canBeAssigned } from '../../shared/policy.ts';
import type { ImageId, ProjectId, Sha256, UserId } from '../../shared/ids.ts';
import type { ImageStatus } from '../../shared/roles.ts';
import type { ImageInfo } from '../../shared/api/images.ts';
import type { ImageRecord } from '../ports/images.ts';
import { audit } from './audit.ts';
import type { ServiceDeps } from './deps.ts';

/** An image as the API shows it. */
export type ImageView = ImageInfo;

export const imageView = (r: ImageRecord): ImageView => ({
  id: r.id,
  sha256: r.sha256,
  fileName: r.fileName,
  width: r.width,
  height: r.height,
  mime: r.mime,
  status: r.status,
  assignee: r.assigneeId,
  thumbSha256: r.thumbSha256,
});

export interface ImageFilter {
  status?: ImageStatus;
  assignee?: UserId | null;
  /** Restricts to images assigned to this user (annotators: access.ts visibleImagesFilter). */
  onlyAssignedTo?: UserId;
}

/** An opaque cursor over (file name, id): pages are stable under inserts and follow file order. */
const encodeCursor = (r: { fileName: string; id: string }) => Buffer.from(JSON.stringify([r.fileName, r.id])).toString('base64url');
function decodeCursor(cursor: string): { fileName: string; id: string } {
  try {
    const v = JSON.parse(Buffer.from(cursor, 'base64url').toString());
    if (Array.isArray(v) && v.length === 2 && typeof v[0] === 'string' && typeof v[1] === 'string') return { fileName: v[0], id: v[1] };
  } catch {
    /* fall through */
  }
  throw badRequest('query field "cursor": not a cursor this server returned');
}

/** Images in file-name order, paged by cursor. */
export async function listImages(s: ServiceDeps, projectId: ProjectId, filter: ImageFilter, limit: number, cursor?: string) {
  const after = cursor ? decodeCursor(cursor) : undefined;
  let assigneeId = filter.assignee;
  if (filter.onlyAssignedTo) {
    // Someone who sees only their own images asking for another's sees none.
    if (assigneeId !== undefined && assigneeId !== filter.onlyAssignedTo) return { items: [], next: null };
    assigneeId = filter.onlyAssignedTo;
  }
  const rows = await s.data.images.list(projectId, { status: filter.status, assigneeId }, { limit: limit + 1, after });
  const items = rows.slice(0, limit).map(imageView);
  return { items, next: rows.length > limit ? encodeCursor(items[items.length - 1]) : null };
}

/** Assigns (or unassigns, with null) images to a member of the project; the annotators who lose them lose access at once. */
export async function assignImages(s: ServiceDeps, actorId: UserId, projectId: ProjectId, imageIds: ImageId[], assigneeId: UserId | null) {
  const items = await s.data.transaction(async (r) => {
    const member = assigneeId ? await r.members.get(projectId, assigneeId) : null;
    if (assigneeId && !member) throw badRequest(`user ${assigneeId} is not a member of this project`);
    if (member && !canBeAssigned(member.role)) {
      throw badRequest(`${/^[aeiou]/.test(member.role) ? 'an' : 'a'} ${member.role} cannot annotate, so cannot be assigned images: choose an annotator, reviewer or manager`);
    }
    const found = await r.images.byIds(projectId, imageIds);
    if (found.length !== new Set(imageIds).size) throw notFound('one or more images');
    const byId = new Map(found.map((f) => [f.id, f]));
    const out: ImageView[] = [];
    for (const id of new Set(imageIds)) {
      const img = byId.get(id)!;
      // Assignment moves untouched images between new and assigned; work in progress keeps its state.
      const status = img.status === 'new' || img.status === 'assigned' ? (assigneeId ? 'assigned' : 'new') : img.status;
      await r.images.setAssignment(img.id, assigneeId, status);
      out.push(imageView({ ...img, assigneeId, status }));
    }
    await audit(r, { actorId, projectId, action: 'image.assign', subject: projectId, details: { imageIds, assigneeId } });
    return out;
  });
  s.accessChanged();
  return items;
}
