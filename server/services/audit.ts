// The append-only audit log: every mutating action with actor, time, subject and details.
import { and, desc, eq, lt } from 'drizzle-orm';
import type { Db } from '../adapters/sqlite/open.ts';
import { auditLog } from '../adapters/sqlite/schema.ts';

export interface AuditEntry {
  actorId: string | null;
  projectId?: string | null;
  action: string;
  subject?: string;
  details?: unknown;
}

export function audit(db: Db, e: AuditEntry): void {
  db.insert(auditLog)
    .values({
      at: Date.now(),
      actorId: e.actorId,
      projectId: e.projectId ?? null,
      action: e.action,
      subject: e.subject ?? '',
      details: e.details ?? null,
    })
    .run();
}

export function listAudit(db: Db, projectId: string, limit: number, cursor?: number) {
  const rows = db
    .select()
    .from(auditLog)
    .where(cursor ? and(eq(auditLog.projectId, projectId), lt(auditLog.id, cursor)) : eq(auditLog.projectId, projectId))
    .orderBy(desc(auditLog.id))
    .limit(limit + 1)
    .all();
  const items = rows.slice(0, limit);
  return { items, next: rows.length > limit ? String(items[items.length - 1].id) : null };
}
