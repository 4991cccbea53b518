// The audit log as CSV (RFC 4180): one row per entry, times in ISO 8601 UTC, actors by id and
// username, details as JSON. Cells that a spreadsheet would run as a formula (starting with =, +,
// -, @, tab or CR) are prefixed with an apostrophe: entries hold names that members typed.
import type { AuditRecord } from '../ports/audit.ts';

export const AUDIT_CSV_HEADER = ['id', 'at', 'actor_id', 'actor', 'action', 'subject', 'details'] as const;
/** The whole log's export (administrators) also names each entry's project. */
export const WHOLE_LOG_CSV_HEADER = ['id', 'at', 'project_id', 'project', 'actor_id', 'actor', 'action', 'subject', 'details'] as const;

const FORMULA = /^[=+\-@\t\r]/;

export function csvCell(value: string): string {
  const v = FORMULA.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v;
}

/** With `projectNameOf`, the whole log's layout (a project id and name after the time). */
export function auditCsv(rows: readonly AuditRecord[], usernameOf: (id: string) => string | undefined, projectNameOf?: (id: string) => string | undefined): string {
  const lines = [(projectNameOf ? WHOLE_LOG_CSV_HEADER : AUDIT_CSV_HEADER).join(',')];
  for (const r of rows) {
    const cells = [
      String(r.id),
      new Date(r.at).toISOString(),
      ...(projectNameOf ? [r.projectId ?? '', r.projectId ? (projectNameOf(r.projectId) ?? '') : ''] : []),
      r.actorId ?? '',
      r.actorId ? (usernameOf(r.actorId) ?? '') : 'system',
      r.action,
      r.subject,
      r.details == null ? '' : JSON.stringify(r.details),
    ];
    lines.push(cells.map(csvCell).join(','));
  }
  return lines.join('\r\n') + '\r\n';
}
