// The append-only audit log: every mutating action with actor, time, subject and details.
import type { ProjectId, UserId } from '../../shared/ids.ts';
import type { Repositories } from '../ports/repositories.ts';
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

export async function listAudit(s: ServiceDeps, projectId: ProjectId, limit: number, cursor?: number) {
  const rows = await s.data.audit.list(projectId, { limit: limit + 1, before: cursor });
  const items = rows.slice(0, limit);
  return { items, next: rows.length > limit ? String(items[items.length - 1].id) : null };
}
