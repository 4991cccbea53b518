// The audit log's query (`GET /api/projects/:id/audit` and `/audit/export` for CSV; the whole log
// at `/api/admin/audit` for administrators): filters by
// actor, action (exact, or a family as `member.*`), subject and time, shared by the server's
// validation and the web app's filter form.
import { z } from 'zod';

/** Epoch milliseconds, or an ISO 8601 date / date-time (a date alone is midnight UTC). */
const instant = z
  .string()
  .max(40)
  .transform((v, ctx) => {
    const ms = /^\d{1,15}$/.test(v) ? Number(v) : Date.parse(v);
    if (!Number.isFinite(ms)) {
      ctx.addIssue({ code: 'custom', message: 'use epoch milliseconds or an ISO 8601 date-time like 2026-12-01T09:30:00Z' });
      return z.NEVER;
    }
    return ms;
  });

export const AUDIT_FILTER_FIELDS = {
  /** A user id, or `system` for entries without an actor. */
  actor: z.string().min(1).max(100),
  /** An exact action (`member.add`) or a family (`member.*`). */
  action: z.string().regex(/^[a-z][a-z0-9_]*(\.[a-z0-9_]+)*(\.\*)?$/, 'use an action like member.add, or a family like member.*'),
  subject: z.string().min(1).max(200),
  /** Entries at or after this time. */
  since: instant,
  /** Entries before this time. */
  until: instant,
};

export const AuditFilterQuery = z.strictObject({
  actor: AUDIT_FILTER_FIELDS.actor.optional(),
  action: AUDIT_FILTER_FIELDS.action.optional(),
  subject: AUDIT_FILTER_FIELDS.subject.optional(),
  since: AUDIT_FILTER_FIELDS.since.optional(),
  until: AUDIT_FILTER_FIELDS.until.optional(),
});

export const AuditPageQuery = AuditFilterQuery.extend({
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  cursor: z.coerce.number().int().positive().optional(),
});

export type AuditFilterInput = z.input<typeof AuditFilterQuery>;

export interface AuditRow {
  id: number;
  at: number;
  actorId: string | null;
  /** The project the entry belongs to; null for sign-ins, accounts, tokens and blob collection. */
  projectId: string | null;
  action: string;
  subject: string;
  details: unknown;
  /** The whole log only (`GET /api/admin/audit`): the actor's username and the project's name. */
  actorName?: string | null;
  projectName?: string | null;
}

/** The most rows one CSV export holds; narrow the filters for more. */
export const AUDIT_EXPORT_MAX_ROWS = 100_000;
