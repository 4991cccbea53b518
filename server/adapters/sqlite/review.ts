// SQLite (drizzle) repository for review history and approved revisions. Revisions are only
// inserted (triggers in migration 0006 refuse any UPDATE or DELETE of them).
import { and, asc, desc, eq, sql } from 'drizzle-orm';
import type { ApprovedRevisionRecord, ReviewEventRecord, ReviewRepo, RevisionSummary } from '../../ports/review.ts';
import type { ImageStatus } from '../../../shared/roles.ts';
import type { Db } from './open.ts';
import { approvedRevisions, images, reviewEvents } from './schema.ts';
import type { SyncOf } from '../serial.ts';

type EventRow = typeof reviewEvents.$inferSelect;
const event = ({ fromStatus, toStatus, ...r }: EventRow) => ({ ...r, from: fromStatus, to: toStatus }) as ReviewEventRecord;
type RevisionRow = typeof approvedRevisions.$inferSelect;
const revision = ({ seq: _seq, update, stateVector, provenance, ...r }: RevisionRow) =>
  ({ ...r, ...(provenance ? { provenance } : {}), update: new Uint8Array(update), stateVector: new Uint8Array(stateVector) }) as ApprovedRevisionRecord;

export function sqliteReview(db: Db): SyncOf<ReviewRepo> {
  return {
    appendEvent: ({ from, to, ...e }) => void db.insert(reviewEvents).values({ ...e, fromStatus: from, toStatus: to }).run(),
    history: (imageId) => db.select().from(reviewEvents).where(eq(reviewEvents.imageId, imageId)).orderBy(asc(reviewEvents.id)).all().map(event),
    lastMoveTo: (imageId, to) => {
      const r = db.select().from(reviewEvents).where(and(eq(reviewEvents.imageId, imageId), eq(reviewEvents.toStatus, to))).orderBy(desc(reviewEvents.id)).limit(1).get();
      return r ? event(r) : null;
    },
    projectHistory: (projectId) => db.select().from(reviewEvents).where(eq(reviewEvents.projectId, projectId)).orderBy(asc(reviewEvents.id)).all().map(event),
    latestMovesTo: (projectId, status: ImageStatus) =>
      db
        .select()
        .from(reviewEvents)
        .where(
          sql`${reviewEvents.id} in (select max(e.id) from ${reviewEvents} e join ${images} i on i.id = e.image_id
              where i.project_id = ${projectId} and i.status = ${status} and e.to_status = ${status} group by e.image_id)`,
        )
        .orderBy(asc(reviewEvents.id))
        .all()
        .map(event),
    insertRevision: (r) => void db.insert(approvedRevisions).values({ ...r, update: Buffer.from(r.update), stateVector: Buffer.from(r.stateVector) }).onConflictDoNothing().run(),
    revisions: (imageId) =>
      db
        .select({
          imageId: approvedRevisions.imageId,
          projectId: approvedRevisions.projectId,
          sha256: approvedRevisions.sha256,
          stateVector: approvedRevisions.stateVector,
          approvedBy: approvedRevisions.approvedBy,
          approvedAt: approvedRevisions.approvedAt,
        })
        .from(approvedRevisions)
        .where(eq(approvedRevisions.imageId, imageId))
        .orderBy(desc(approvedRevisions.seq))
        .all()
        .map((r) => ({ ...r, stateVector: new Uint8Array(r.stateVector) }) as RevisionSummary),
    revision: (imageId, sha256) => {
      const r = db.select().from(approvedRevisions).where(and(eq(approvedRevisions.imageId, imageId), eq(approvedRevisions.sha256, sha256))).get();
      return r ? revision(r) : null;
    },
    latestApproved: (projectId) =>
      db
        .select()
        .from(approvedRevisions)
        .where(sql`${approvedRevisions.seq} in (select max(seq) from ${approvedRevisions} where project_id = ${projectId} group by image_id)`)
        .orderBy(asc(approvedRevisions.imageId))
        .all()
        .map(revision),
  };
}
