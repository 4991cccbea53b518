// The append-only audit log: every mutating action with actor, time, subject and details.
import type { ProjectId, UserId } from '../../shared/ids.ts';
import { AUDIT_EXPORT_MAX_ROWS } from '../../shared/api/audit.ts';
import { WHOLE_LOG, type AuditFilter, type AuditRecord, type AuditScope } from '../ports/audit.ts';
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

/** Usernames and project names of the entries' actors and projects (the whole log names both). */
async function namesOf(s: ServiceDeps, rows: readonly AuditRecord[]) {
  const users = new Map<string, string>();
  const projects = new Map<string, string>();
  for (const id of new Set(rows.map((r) => r.actorId).filter((x): x is UserId => x !== null))) {
    const u = await s.data.users.byId(id);
    if (u) users.set(id, u.username);
  }
  for (const id of new Set(rows.map((r) => r.projectId).filter((x): x is ProjectId => x !== null))) {
    const p = await s.data.projects.byId(id);
    if (p) projects.set(id, p.name);
  }
  return { users, projects };
}

/**
 * One page of the scope's entries matching `q`, newest first; `next` is the cursor for older ones.
 * The whole log's entries also carry their actor's username and their project's name, since its
 * reader (an administrator) need not share a project with anyone in it.
 */
export async function listAudit(s: ServiceDeps, scope: AuditScope, q: AuditQuery & { limit: number; cursor?: number }) {
  const rows = await s.data.audit.list(scope, { limit: q.limit + 1, before: q.cursor, filter: toFilter(q) });
  const items = rows.slice(0, q.limit);
  const next = rows.length > q.limit ? String(items[items.length - 1].id) : null;
  if (scope !== WHOLE_LOG) return { items, next };
  const n = await namesOf(s, items);
  return {
    items: items.map((r) => ({ ...r, actorName: r.actorId ? (n.users.get(r.actorId) ?? null) : null, projectName: r.projectId ? (n.projects.get(r.projectId) ?? null) : null })),
    next,
  };
}

/** The actions the scope's log holds, for the filter menu. */
export const auditActions = (s: ServiceDeps, scope: AuditScope) => s.data.audit.actions(scope);

/** Every entry matching `q` (newest first, at most AUDIT_EXPORT_MAX_ROWS) as CSV; the whole log's names each entry's project. */
export async function exportAudit(s: ServiceDeps, scope: AuditScope, q: AuditQuery): Promise<{ csv: string; rows: number; truncated: boolean }> {
  const filter = toFilter(q);
  const rows: AuditRecord[] = [];
  let before: number | undefined;
  for (;;) {
    const page = await s.data.audit.list(scope, { limit: 1000, before, filter });
    rows.push(...page);
    if (page.length < 1000 || rows.length >= AUDIT_EXPORT_MAX_ROWS) break;
    before = page[page.length - 1].id;
  }
  const truncated = rows.length > AUDIT_EXPORT_MAX_ROWS;
  const kept = rows.slice(0, AUDIT_EXPORT_MAX_ROWS);
  const n = await namesOf(s, kept);
  const csv = auditCsv(kept, (id) => n.users.get(id), scope === WHOLE_LOG ? (id) => n.projects.get(id) : undefined);
  return { csv, rows: kept.length, truncated };
}
