// SQLite (drizzle) repositories for images and blob metadata.
import { and, asc, count, eq, gt, inArray, isNull, or, sql, type SQL } from 'drizzle-orm';
import type { BlobMetaRepo, BlobRecord, ImageRecord, ImageRepo } from '../../ports/images.ts';
import type { Role } from '../../../shared/roles.ts';
import type { Sha256 } from '../../../shared/ids.ts';
import type { Db } from './open.ts';
import { blobs, images, memberships } from './schema.ts';
import { uniquely } from './errors.ts';
import type { SyncOf } from '../serial.ts';

const image = (r: typeof images.$inferSelect) => r as ImageRecord;

export function sqliteImages(db: Db): SyncOf<ImageRepo> {
  const byId = db.select().from(images).where(eq(images.id, sql.placeholder('id'))).prepare();
  // prepared once, and two columns, not thirteen: the sync server asks after every durable update
  // (a whole row costs ~4x as much to read, most of it turning its text columns into strings)
  const statusOf = db.select({ projectId: images.projectId, status: images.status }).from(images).where(eq(images.id, sql.placeholder('id'))).prepare();
  return {
    insert: (r) => void uniquely(`the project has an image with these bytes already`, () => db.insert(images).values(r).run()),
    byId: (id) => {
      const r = byId.get({ id });
      return r ? image(r) : null;
    },
    statusOf: (id) => {
      const r = statusOf.get({ id });
      return r ? (r as Pick<ImageRecord, 'projectId' | 'status'>) : null;
    },
    bySha: (projectId, sha) => {
      const r = db.select().from(images).where(and(eq(images.projectId, projectId), eq(images.sha256, sha))).get();
      return r ? image(r) : null;
    },
    byIds: (projectId, ids) => {
      if (ids.length === 0) return [];
      const out: ImageRecord[] = [];
      // SQLite caps bound parameters per statement: look ids up in chunks.
      for (let i = 0; i < ids.length; i += 500) {
        const chunk = ids.slice(i, i + 500);
        out.push(...db.select().from(images).where(and(eq(images.projectId, projectId), inArray(images.id, chunk))).all().map(image));
      }
      return out;
    },
    list: (projectId, filter, { limit, after }) => {
      const conds: (SQL | undefined)[] = [eq(images.projectId, projectId)];
      if (filter.status) conds.push(eq(images.status, filter.status));
      if (filter.assigneeId !== undefined) conds.push(filter.assigneeId === null ? isNull(images.assigneeId) : eq(images.assigneeId, filter.assigneeId));
      if (after) conds.push(or(gt(images.fileName, after.fileName), and(eq(images.fileName, after.fileName), gt(images.id, after.id))));
      return db.select().from(images).where(and(...conds)).orderBy(asc(images.fileName), asc(images.id)).limit(limit).all().map(image);
    },
    listAll: (projectId) =>
      db.select({ id: images.id, fileName: images.fileName, width: images.width, height: images.height }).from(images).where(eq(images.projectId, projectId)).orderBy(asc(images.fileName), asc(images.id)).all() as Pick<ImageRecord, 'id' | 'fileName' | 'width' | 'height'>[],
    setAssignment: (id, assigneeId, status) => void db.update(images).set({ assigneeId, status }).where(eq(images.id, id)).run(),
    countByStatus: (projectId, onlyAssignedTo) =>
      db
        .select({ assigneeId: images.assigneeId, status: images.status, count: count() })
        .from(images)
        .where(and(eq(images.projectId, projectId), onlyAssignedTo ? eq(images.assigneeId, onlyAssignedTo) : undefined))
        .groupBy(images.assigneeId, images.status)
        .all() as { assigneeId: ImageRecord['assigneeId']; status: ImageRecord['status']; count: number }[],
    moveStatus: (id, from, to) => db.update(images).set({ status: to }).where(and(eq(images.id, id), eq(images.status, from))).run().changes === 1,
    blobHolders: (sha, userId) =>
      db
        .select({ role: memberships.role, assigneeId: images.assigneeId })
        .from(images)
        .innerJoin(memberships, and(eq(memberships.projectId, images.projectId), eq(memberships.userId, userId)))
        .where(or(eq(images.sha256, sha), eq(images.thumbSha256, sha)))
        .all() as { role: Role; assigneeId: ImageRecord['assigneeId'] }[],
    thumbnailOf: (sha) =>
      (db
        .select({ sha256: blobs.sha256, size: blobs.size })
        .from(images)
        .innerJoin(blobs, eq(blobs.sha256, images.thumbSha256))
        .where(eq(images.sha256, sha))
        .limit(1)
        .get() as { sha256: BlobRecord['sha256']; size: number } | undefined) ?? null,
    blobsInUse: (shas) => {
      const out = new Set<Sha256>();
      for (let i = 0; i < shas.length; i += 400) {
        const chunk = shas.slice(i, i + 400);
        for (const r of db.select({ a: images.sha256, b: images.thumbSha256 }).from(images).where(or(inArray(images.sha256, chunk), inArray(images.thumbSha256, chunk))).all()) {
          if (chunk.includes(r.a as Sha256)) out.add(r.a as Sha256);
          if (r.b && chunk.includes(r.b as Sha256)) out.add(r.b as Sha256);
        }
      }
      return [...out];
    },
  };
}

export function sqliteBlobMeta(db: Db): SyncOf<BlobMetaRepo> {
  // Prepared once: a release cut asks for every image's blob (building the query each time was a quarter of a cut).
  const bySha = db.select().from(blobs).where(eq(blobs.sha256, sql.placeholder('sha'))).prepare();
  return {
    insertIfAbsent: (b) => void db.insert(blobs).values(b).onConflictDoNothing().run(),
    get: (sha) => (bySha.get({ sha }) as BlobRecord | undefined) ?? null,
    remove: (sha) => db.delete(blobs).where(eq(blobs.sha256, sha)).run().changes > 0,
  };
}
