// SQLite (drizzle) repository for the append-only audit log.
import { and, desc, eq, lt } from 'drizzle-orm';
import type { AuditRecord, AuditRepo } from '../../ports/audit.ts';
import type { Db } from './open.ts';
import { auditLog } from './schema.ts';
import type { SyncOf } from '../serial.ts';

export function sqliteAudit(db: Db): SyncOf<AuditRepo> {
  return {
    append: (e) => void db.insert(auditLog).values({ ...e, details: e.details ?? null }).run(),
    list: (projectId, { limit, before }) =>
      db
        .select()
        .from(auditLog)
        .where(before !== undefined ? and(eq(auditLog.projectId, projectId), lt(auditLog.id, before)) : eq(auditLog.projectId, projectId))
        .orderBy(desc(auditLog.id))
        .limit(limit)
        .all() as AuditRecord[],
  };
}
