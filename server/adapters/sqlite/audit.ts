// SQLite (drizzle) repository for the append-only audit log.
import { and, asc, desc, eq, gte, isNull, lt, sql, type SQL } from 'drizzle-orm';
import type { AuditFilter, AuditRecord, AuditRepo } from '../../ports/audit.ts';
import type { Db } from './open.ts';
import { auditLog } from './schema.ts';
import type { SyncOf } from '../serial.ts';

function conditions(projectId: string, before: number | undefined, f: AuditFilter): SQL[] {
  const c: (SQL | undefined)[] = [eq(auditLog.projectId, projectId)];
  if (before !== undefined) c.push(lt(auditLog.id, before));
  if (f.actorId !== undefined) c.push(f.actorId === null ? isNull(auditLog.actorId) : eq(auditLog.actorId, f.actorId));
  if (f.action !== undefined) c.push(eq(auditLog.action, f.action));
  if (f.actionPrefix !== undefined) c.push(sql`substr(${auditLog.action}, 1, ${f.actionPrefix.length}) = ${f.actionPrefix}`);
  if (f.subject !== undefined) c.push(eq(auditLog.subject, f.subject));
  if (f.since !== undefined) c.push(gte(auditLog.at, f.since));
  if (f.until !== undefined) c.push(lt(auditLog.at, f.until));
  return c.filter((x): x is SQL => x !== undefined);
}

export function sqliteAudit(db: Db): SyncOf<AuditRepo> {
  return {
    append: (e) => void db.insert(auditLog).values({ ...e, details: e.details ?? null }).run(),
    list: (projectId, { limit, before, filter = {} }) =>
      db
        .select()
        .from(auditLog)
        .where(and(...conditions(projectId, before, filter)))
        .orderBy(desc(auditLog.id))
        .limit(limit)
        .all() as AuditRecord[],
    actions: (projectId) =>
      db.selectDistinct({ action: auditLog.action }).from(auditLog).where(eq(auditLog.projectId, projectId)).orderBy(asc(auditLog.action)).all().map((r) => r.action),
  };
}
