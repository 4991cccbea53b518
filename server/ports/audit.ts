// Port for the append-only audit log: every mutating action with actor, time, subject and details.
import type { ProjectId, UserId } from '../../shared/ids.ts';

export interface AuditRecord {
  /** Increasing with every append. */
  id: number;
  at: number;
  actorId: UserId | null;
  projectId: ProjectId | null;
  action: string;
  subject: string;
  details: unknown;
}

export interface AuditRepo {
  append(entry: Omit<AuditRecord, 'id'>): Promise<void>;
  /** A project's entries, newest first, older than the entry `before`. */
  list(projectId: ProjectId, page: { limit: number; before?: number }): Promise<AuditRecord[]>;
}
