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

/** Conditions on entries; all that are given must hold. */
export interface AuditFilter {
  /** The actor's user id, or null for entries without one (the system). */
  actorId?: UserId | null;
  action?: string;
  /** Entries whose action starts with this, e.g. `member.` for the member family. */
  actionPrefix?: string;
  subject?: string;
  /** Entries with `at` ≥ since. */
  since?: number;
  /** Entries with `at` < until. */
  until?: number;
}

/**
 * Which entries a read covers: one project's, or (`WHOLE_LOG`, for administrators) every entry —
 * every project's and those of no project (sign-ins, accounts, tokens, blob collection).
 */
export const WHOLE_LOG = null;
export type AuditScope = ProjectId | typeof WHOLE_LOG;

export interface AuditRepo {
  append(entry: Omit<AuditRecord, 'id'>): Promise<void>;
  /** The scope's entries that match `filter`, newest first, older than the entry `before`. */
  list(scope: AuditScope, page: { limit: number; before?: number; filter?: AuditFilter }): Promise<AuditRecord[]>;
  /** The distinct actions among the scope's entries, sorted. */
  actions(scope: AuditScope): Promise<string[]>;
}
