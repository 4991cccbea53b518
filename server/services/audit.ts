// The append-only audit log: every mutating action with actor, time, subject and details.
import type { ProjectId, UserId } from '../../shared/ids.ts';
import { AUDIT_EXPORT_MAX_ROWS } from '../../shared/api/audit.ts';
import type { AuditFilter, AuditRecord } from '../ports/audit.ts';
import type { Repositories } from '../ports/repositories.ts';
import { auditCsv } from './audit-csv.ts';
import type { ServiceDeps } from './deps.ts';
import { now } from './ids.ts';

export interface AuditEntry {
  actorId: UserId | null;
  projectId?: ProjectId | null;
  action: string;
  subject?: string;
  details?: unknown;
}

/** Appends an entry; inside a transaction, pass its repositories so that the entry commits with it. */
export function audit(r: Pick<Repositories, 'audit'>, e: AuditEntry): Promise<void> {
  return r.audit.append({ at: now(), actorId: e.actorId, projectId: e.projectId ?? null, action: e.action, subject: e.subject ?? '', details: e.details ?? null });
}

/** What the audit routes filter on (shared/api/audit.ts validates it). */
export interface AuditQuery {
  /** A user id, or `system` for entries without an actor. */
  actor?: string;
  /** An exact action, or a family such as `member.*`. */
  action?: string;
  subject?: string;
  since?: number;
  until?: number;
}

const toFilter = (q: AuditQuery): AuditFilter => ({
  ...(q.actor !== undefined ? { actorId: q.actor === 'system' ? null : (q.actor as UserId) } : {}),
  ...(q.action?.endsWith('.*') ? { actionPrefix: q.action.slice(0, -1) } : q.action !== undefined ? { action: q.action } : {}),
  ...(q.subject !== undefined ? { subject: q.subject } : {}),
  ...(q.since !== undefined ? { since: q.since } : {}),
  ...(q.until !== undefined ? { until: q.until } : {}),
});

/** One page of a project's entries matching `q`, newest first; `next` is the cursor for older ones. */
export async function listAudit(s: ServiceDeps, projectId: ProjectId, q: AuditQuery & { limit: number; cursor?: number }) {
  const rows = await s.data.audit.list(projectId, { limit: q.limit + 1, before: q.cursor, filter: toFilter(q) });
  const items = rows.slice(0, q.limit);
  return { items, next: rows.length > q.limit ? String(items[items.length - 1].id) : null };
}

/** The actions a project's log holds, for the filter menu. */
export const auditActions = (s: ServiceDeps, projectId: ProjectId) => s.data.audit.actions(projectId);

/** Every entry matching `q` (newest first, at most AUDIT_EXPORT_MAX_ROWS) as CSV. */
export async function exportAudit(s: ServiceDeps, projectId: ProjectId, q: AuditQuery): Promise<{ csv: string; rows: number; truncated: boolean }> {
  const filter = toFilter(q);
  const rows: AuditRecord[] = [];
  let before: number | undefined;
  for (;;) {
    const page = await s.data.audit.list(projectId, { limit: 1000, before, filter });
    rows.push(...page);
    if (page.length < 1000 || rows.length >= AUDIT_EXPORT_MAX_ROWS) break;
    before = page[page.length - 1].id;
  }
  const truncated = rows.length > AUDIT_EXPORT_MAX_ROWS;
  const kept = rows.slice(0, AUDIT_EXPORT_MAX_ROWS);
  const names = new Map<string, string>();
  for (const id of new Set(kept.map((r) => r.actorId).filter((x): x is UserId => x !== null))) {
    const u = await s.data.users.byId(id);
    if (u) names.set(id, u.username);
  }
  return { csv: auditCsv(kept, (id) => names.get(id)), rows: kept.length, truncated };
}
