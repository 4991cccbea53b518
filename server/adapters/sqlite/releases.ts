// SQLite (drizzle) repository for releases, their aliases, QA verdicts, cached exports and gates.
import { and, desc, eq, inArray, lt } from 'drizzle-orm';
import type { AliasRecord, ExportRecord, GateRecord, QaRecord, ReleaseRecord, ReleaseRepo } from '../../ports/releases.ts';
import type { SyncOf } from '../serial.ts';
import { uniquely } from './errors.ts';
import { immediate, type Db } from './open.ts';
import { releaseAliases, releaseBlobs, releaseExports, releaseGates, releaseQa, releases } from './schema.ts';

/** A row as the port's record: the state key stays in its own column, read by `stateKey`. */
const asRecord = ({ stateKey: _, ...r }: typeof releases.$inferSelect): ReleaseRecord => r as unknown as ReleaseRecord;
const asRelease = (r: typeof releases.$inferSelect | undefined): ReleaseRecord | null => (r ? asRecord(r) : null);

export function sqliteReleases(db: Db): SyncOf<ReleaseRepo> {
  return {
    insert: (r, blobs, stateKey) =>
      immediate(db, () => {
        uniquely(`release ${r.id.slice(0, 12)} or number ${r.number} exists already`, () => db.insert(releases).values({ ...r, stateKey: stateKey ?? null }).run());
        const unique = [...new Set(blobs)];
        for (let i = 0; i < unique.length; i += 500) db.insert(releaseBlobs).values(unique.slice(i, i + 500).map((blob) => ({ releaseId: r.id, blob }))).run();
      }),
    stateKey: (releaseId) => db.select({ k: releases.stateKey }).from(releases).where(eq(releases.id, releaseId)).get()?.k ?? null,
    byId: (projectId, id) => asRelease(db.select().from(releases).where(and(eq(releases.projectId, projectId), eq(releases.id, id))).get()),
    byNumber: (projectId, number) => asRelease(db.select().from(releases).where(and(eq(releases.projectId, projectId), eq(releases.number, number))).get()),
    latest: (projectId) => asRelease(db.select().from(releases).where(eq(releases.projectId, projectId)).orderBy(desc(releases.number)).limit(1).get()),
    list: (projectId, { limit, before }) =>
      db
        .select()
        .from(releases)
        .where(before !== undefined ? and(eq(releases.projectId, projectId), lt(releases.number, before)) : eq(releases.projectId, projectId))
        .orderBy(desc(releases.number))
        .limit(limit)
        .all()
        .map(asRecord),
    setAlias: (a) =>
      void db
        .insert(releaseAliases)
        .values(a)
        .onConflictDoUpdate({ target: [releaseAliases.projectId, releaseAliases.name], set: { releaseId: a.releaseId, updatedAt: a.updatedAt, updatedBy: a.updatedBy } })
        .run(),
    alias: (projectId, name) =>
      (db.select().from(releaseAliases).where(and(eq(releaseAliases.projectId, projectId), eq(releaseAliases.name, name))).get() as AliasRecord | undefined) ?? null,
    aliases: (projectId) => db.select().from(releaseAliases).where(eq(releaseAliases.projectId, projectId)).orderBy(releaseAliases.name).all() as AliasRecord[],
    addQa: (q) => void db.insert(releaseQa).values(q).run(),
    qaHistory: (releaseId) =>
      db
        .select({ releaseId: releaseQa.releaseId, status: releaseQa.status, notes: releaseQa.notes, actorId: releaseQa.actorId, at: releaseQa.at })
        .from(releaseQa)
        .where(eq(releaseQa.releaseId, releaseId))
        .orderBy(desc(releaseQa.id))
        .all() as QaRecord[],
    latestQa: (ids) => {
      const out = new Map<string, QaRecord>();
      if (ids.length === 0) return out;
      const rows = db.select().from(releaseQa).where(inArray(releaseQa.releaseId, [...ids])).orderBy(desc(releaseQa.id)).all();
      for (const r of rows) if (!out.has(r.releaseId)) out.set(r.releaseId, { releaseId: r.releaseId, status: r.status, notes: r.notes, actorId: r.actorId, at: r.at } as QaRecord);
      return out;
    },
    export: (releaseId, format) =>
      (db.select().from(releaseExports).where(and(eq(releaseExports.releaseId, releaseId), eq(releaseExports.format, format))).get() as ExportRecord | undefined) ?? null,
    putExport: (e) => void db.insert(releaseExports).values(e).onConflictDoNothing().run(),
    gate: (projectId) => (db.select().from(releaseGates).where(eq(releaseGates.projectId, projectId)).get() as GateRecord | undefined) ?? null,
    setGate: (g) =>
      void db
        .insert(releaseGates)
        .values({ ...g, lastReport: null, lastReportAt: null })
        .onConflictDoUpdate({ target: releaseGates.projectId, set: { validate: g.validate, updatedAt: g.updatedAt, updatedBy: g.updatedBy } })
        .run(),
    gateRefused: (projectId, report, at) => void db.update(releaseGates).set({ lastReport: report, lastReportAt: at }).where(eq(releaseGates.projectId, projectId)).run(),
    referencedAmong: (candidates) => {
      const out = new Set<string>();
      for (let i = 0; i < candidates.length; i += 500) {
        const batch = [...candidates.slice(i, i + 500)];
        for (const r of db.select({ b: releases.id }).from(releases).where(inArray(releases.id, batch)).all()) out.add(r.b);
        for (const r of db.selectDistinct({ b: releaseBlobs.blob }).from(releaseBlobs).where(inArray(releaseBlobs.blob, batch)).all()) out.add(r.b);
        for (const r of db.selectDistinct({ b: releaseExports.blob }).from(releaseExports).where(inArray(releaseExports.blob, batch)).all()) out.add(r.b);
        for (const r of db.select({ b: releaseGates.lastReport }).from(releaseGates).where(inArray(releaseGates.lastReport, batch)).all()) if (r.b) out.add(r.b);
      }
      return [...out] as ReleaseRecord['id'][];
    },
  };
}
