// Images of a project: upload (content-addressed, deduplicated per project), listing with
// filters and paging, assignment.
import { and, asc, eq, gt, inArray, isNull, or, type SQL } from 'drizzle-orm';
import { AppError, notFound, badRequest } from '../../shared/errors.ts';
import type { ImageStatus } from '../../shared/roles.ts';
import { immediate, type Db } from '../adapters/sqlite/open.ts';
import { blobs, images, memberships } from '../adapters/sqlite/schema.ts';
import { probeImage, thumbnail } from '../images/probe.ts';
import type { BlobStore } from '../ports/blob-store.ts';
import { audit } from './audit.ts';
import { newId, now } from './ids.ts';

export interface ImageView {
  id: string;
  sha256: string;
  fileName: string;
  width: number;
  height: number;
  mime: string;
  status: ImageStatus;
  assignee: string | null;
  thumbSha256: string | null;
}

const columns = {
  id: images.id,
  sha256: images.sha256,
  fileName: images.fileName,
  width: images.width,
  height: images.height,
  mime: images.mime,
  status: images.status,
  assignee: images.assigneeId,
  thumbSha256: images.thumbSha256,
};

export interface UploadFile {
  name: string;
  bytes: Uint8Array;
}

export interface UploadResult {
  items: (ImageView & { created: boolean })[];
}

/**
 * Stores every file, then inserts the image rows in one transaction. All files are probed first:
 * one bad file rejects the whole upload and nothing is recorded.
 */
export async function uploadImages(
  db: Db,
  store: BlobStore,
  actorId: string,
  projectId: string,
  files: UploadFile[],
  maxBytes: number,
): Promise<UploadResult> {
  if (files.length === 0) throw badRequest('no files in the upload (send them as multipart field "files")');
  const probed = [];
  for (const f of files) {
    if (f.bytes.byteLength > maxBytes) {
      throw new AppError('payload_too_large', `"${f.name}" is ${f.bytes.byteLength} bytes; the limit is ${maxBytes}`);
    }
    probed.push({ file: f, info: await probeImage(f.bytes, f.name) });
  }
  const stored: { file: UploadFile; info: Awaited<ReturnType<typeof probeImage>>; sha256: string; size: number; thumbSha256: string; thumbSize: number }[] = [];
  for (const { file, info } of probed) {
    const blob = await store.put(file.bytes);
    // Bytes seen before (a re-import) already have a thumbnail: no need to render it again.
    const known = blob.created ? null : knownThumbnail(db, blob.sha256);
    const thumb = known ?? (await store.put(await thumbnail(file.bytes)));
    stored.push({ file, info, sha256: blob.sha256, size: blob.size, thumbSha256: thumb.sha256, thumbSize: thumb.size });
  }
  return immediate(db, () => {
    const items: UploadResult['items'] = [];
    const t = now();
    for (const s of stored) {
      db.insert(blobs).values({ sha256: s.sha256, size: s.size, mime: s.info.mime, createdAt: t }).onConflictDoNothing().run();
      db.insert(blobs).values({ sha256: s.thumbSha256, size: s.thumbSize, mime: 'image/webp', createdAt: t }).onConflictDoNothing().run();
      const existing = db.select(columns).from(images).where(and(eq(images.projectId, projectId), eq(images.sha256, s.sha256))).get();
      if (existing) {
        items.push({ ...existing, created: false });
        continue;
      }
      const row = {
        id: newId(),
        projectId,
        sha256: s.sha256,
        fileName: s.file.name,
        mime: s.info.mime,
        width: s.info.width,
        height: s.info.height,
        orientation: s.info.orientation,
        thumbSha256: s.thumbSha256,
        status: 'new' as const,
        assigneeId: null,
        createdAt: t,
        createdBy: actorId,
      };
      db.insert(images).values(row).run();
      items.push({ ...pick(row), created: true });
    }
    const created = items.filter((i) => i.created);
    audit(db, {
      actorId,
      projectId,
      action: 'image.upload',
      subject: projectId,
      details: { created: created.map((i) => ({ id: i.id, fileName: i.fileName, sha256: i.sha256 })), existing: items.length - created.length },
    });
    return { items };
  });
}

/** The stored thumbnail of an image with these bytes, in any project, if there is one. */
function knownThumbnail(db: Db, sha256: string): { sha256: string; size: number } | null {
  const row = db
    .select({ sha256: blobs.sha256, size: blobs.size })
    .from(images)
    .innerJoin(blobs, eq(blobs.sha256, images.thumbSha256))
    .where(eq(images.sha256, sha256))
    .limit(1)
    .get();
  return row ?? null;
}

const pick = (r: typeof images.$inferSelect): ImageView => ({
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
  assignee?: string | null;
  /** Restricts to images assigned to this user (annotators). */
  onlyAssignedTo?: string;
}

/** An opaque cursor over (file name, id): pages are stable under inserts and follow file order. */
const encodeCursor = (r: { fileName: string; id: string }) => Buffer.from(JSON.stringify([r.fileName, r.id])).toString('base64url');
function decodeCursor(cursor: string): [string, string] {
  try {
    const v = JSON.parse(Buffer.from(cursor, 'base64url').toString());
    if (Array.isArray(v) && v.length === 2 && typeof v[0] === 'string' && typeof v[1] === 'string') return [v[0], v[1]];
  } catch {
    /* fall through */
  }
  throw badRequest('query field "cursor": not a cursor this server returned');
}

/** Images in file-name order, paged by cursor. */
export function listImages(db: Db, projectId: string, filter: ImageFilter, limit: number, cursor?: string) {
  const conds: (SQL | undefined)[] = [eq(images.projectId, projectId)];
  if (filter.status) conds.push(eq(images.status, filter.status));
  if (filter.assignee !== undefined) conds.push(filter.assignee === null ? isNull(images.assigneeId) : eq(images.assigneeId, filter.assignee));
  if (filter.onlyAssignedTo) conds.push(eq(images.assigneeId, filter.onlyAssignedTo));
  if (cursor) {
    const [name, id] = decodeCursor(cursor);
    conds.push(or(gt(images.fileName, name), and(eq(images.fileName, name), gt(images.id, id))));
  }
  const rows = db.select(columns).from(images).where(and(...conds)).orderBy(asc(images.fileName), asc(images.id)).limit(limit + 1).all();
  const items = rows.slice(0, limit);
  return { items, next: rows.length > limit ? encodeCursor(items[items.length - 1]) : null };
}

export function getImage(db: Db, projectId: string, imageId: string): ImageView {
  const row = db.select(columns).from(images).where(and(eq(images.id, imageId), eq(images.projectId, projectId))).get();
  if (!row) throw notFound('image');
  return row;
}

/** Assigns (or unassigns, with null) images to a member of the project. */
export function assignImages(db: Db, actorId: string, projectId: string, imageIds: string[], assigneeId: string | null) {
  return immediate(db, () => {
    if (assigneeId) {
      const m = db.select().from(memberships).where(and(eq(memberships.projectId, projectId), eq(memberships.userId, assigneeId))).get();
      if (!m) throw badRequest(`user ${assigneeId} is not a member of this project`);
    }
    const found = db.select({ id: images.id, status: images.status }).from(images).where(and(eq(images.projectId, projectId), inArray(images.id, imageIds))).all();
    if (found.length !== new Set(imageIds).size) throw notFound('one or more images');
    for (const img of found) {
      // Assignment moves untouched images between new and assigned; work in progress keeps its state.
      const status = img.status === 'new' || img.status === 'assigned' ? (assigneeId ? 'assigned' : 'new') : img.status;
      db.update(images).set({ assigneeId, status }).where(eq(images.id, img.id)).run();
    }
    audit(db, { actorId, projectId, action: 'image.assign', subject: projectId, details: { imageIds, assigneeId } });
    return found.map((f) => getImage(db, projectId, f.id));
  });
}

/** Whether `userId` may read the blob: it belongs to an image (or thumbnail) of a project they are in. */
export function canReadBlob(db: Db, userId: string, sha256: string, annotatorSeesAll = false): boolean {
  const rows = db
    .select({ role: memberships.role, assignee: images.assigneeId })
    .from(images)
    .innerJoin(memberships, and(eq(memberships.projectId, images.projectId), eq(memberships.userId, userId)))
    .where(or(eq(images.sha256, sha256), eq(images.thumbSha256, sha256)))
    .all();
  return rows.some((r) => r.role !== 'annotator' || annotatorSeesAll || r.assignee === userId);
}
