// SQLite (drizzle) repository for the append-only audit log.
import { and, asc, desc, eq, gte, isNull, lt, sql, type SQL } from 'drizzle-orm';
import { WHOLE_LOG, type AuditFilter, type AuditRecord, type AuditRepo, type AuditScope } from '../../ports/audit.ts';
import type { Db } from './open.ts';
import { auditLog } from './schema.ts';
import type { SyncOf } from '../serial.ts';

const inScope = (scope: AuditScope) => (scope === WHOLE_LOG ? undefined : eq(auditLog.projectId, scope));

function conditions(scope: AuditScope, before: number | undefined, f: AuditFilter): SQL[] {
  const c: (SQL | undefined)[] = [inScope(scope)];
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
    list: (scope, { limit, before, filter = {} }) =>
      db
        .select()
        .from(auditLog)
        .where(and(...conditions(scope, before, filter)))
        .orderBy(desc(auditLog.id))
        .limit(limit)
        .all() as AuditRecord[],
    actions: (scope) =>
      db.selectDistinct({ action: auditLog.action }).from(auditLog).where(inScope(scope)).orderBy(asc(auditLog.action)).all().map((r) => r.action),
  };
}
