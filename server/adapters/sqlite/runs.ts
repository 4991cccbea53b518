// SQLite (drizzle) repository for model runs and their notes; also the garbage-collection answer
// for the release blobs (manifest, listed images, cached exports) of releases that runs name.
import { and, asc, desc, eq, inArray, lt, or } from 'drizzle-orm';
import type { RunNoteRecord, RunRecord, RunRepo } from '../../ports/runs.ts';
import type { SyncOf } from '../serial.ts';
import { uniquely } from './errors.ts';
import { immediate, type Db } from './open.ts';
import { modelRunNotes, modelRuns, releaseBlobs, releaseExports } from './schema.ts';

const asRun = (r: typeof modelRuns.$inferSelect): RunRecord => r as unknown as RunRecord;

export function sqliteRuns(db: Db): SyncOf<RunRepo> {
  return {
    insert: (r, note) =>
      immediate(db, () => {
        uniquely(`run ${r.id} exists already`, () => db.insert(modelRuns).values(r).run());
        if (note) db.insert(modelRunNotes).values(note).run();
      }),
    byId: (projectId, id) => {
      const r = db.select().from(modelRuns).where(and(eq(modelRuns.projectId, projectId), eq(modelRuns.id, id))).get();
      return r ? asRun(r) : null;
    },
    list: (projectId, { limit, after, releaseId }) => {
      const conds = [eq(modelRuns.projectId, projectId)];
      if (releaseId !== undefined) conds.push(eq(modelRuns.releaseId, releaseId));
      if (after) conds.push(or(lt(modelRuns.createdAt, after.createdAt), and(eq(modelRuns.createdAt, after.createdAt), lt(modelRuns.id, after.id)))!);
      return db
        .select()
        .from(modelRuns)
        .where(and(...conds))
        .orderBy(desc(modelRuns.createdAt), desc(modelRuns.id))
        .limit(limit)
        .all()
        .map(asRun);
    },
    addNote: (n) => void db.insert(modelRunNotes).values(n).run(),
    notes: (runIds) => {
      const out = new Map<string, RunNoteRecord[]>();
      for (let i = 0; i < runIds.length; i += 500) {
        const rows = db
          .select()
          .from(modelRunNotes)
          .where(inArray(modelRunNotes.runId, [...runIds.slice(i, i + 500)]))
          .orderBy(asc(modelRunNotes.id))
          .all();
        for (const n of rows) {
          const list = out.get(n.runId) ?? [];
          list.push({ runId: n.runId, text: n.text, by: n.by, at: n.at } as RunNoteRecord);
          out.set(n.runId, list);
        }
      }
      return out;
    },
    heldByRuns: (candidates) => {
      const out = new Set<string>();
      const linked = db.selectDistinct({ id: modelRuns.releaseId }).from(modelRuns);
      for (let i = 0; i < candidates.length; i += 500) {
        const batch = [...candidates.slice(i, i + 500)];
        for (const r of db.selectDistinct({ b: modelRuns.releaseId }).from(modelRuns).where(inArray(modelRuns.releaseId, batch)).all()) out.add(r.b);
        for (const r of db
          .selectDistinct({ b: releaseBlobs.blob })
          .from(releaseBlobs)
          .where(and(inArray(releaseBlobs.blob, batch), inArray(releaseBlobs.releaseId, linked)))
          .all())
          out.add(r.b);
        for (const r of db
          .selectDistinct({ b: releaseExports.blob })
          .from(releaseExports)
          .where(and(inArray(releaseExports.blob, batch), inArray(releaseExports.releaseId, linked)))
          .all())
          out.add(r.b);
      }
      return [...out] as RunRecord['releaseId'][];
    },
  };
}
