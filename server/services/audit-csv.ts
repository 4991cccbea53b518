// The audit log as CSV (RFC 4180): one row per entry, times in ISO 8601 UTC, actors by id and
// username, details as JSON. Cells that a spreadsheet would run as a formula (starting with =, +,
// -, @, tab or CR) are prefixed with an apostrophe: entries hold names that members typed.
import type { AuditRecord } from '../ports/audit.ts';

export const AUDIT_CSV_HEADER = ['id', 'at', 'actor_id', 'actor', 'action', 'subject', 'details'] as const;

const FORMULA = /^[=+\-@\t\r]/;

export function csvCell(value: string): string {
  const v = FORMULA.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v;
}

export function auditCsv(rows: readonly AuditRecord[], usernameOf: (id: string) => string | undefined): string {
  const lines = [AUDIT_CSV_HEADER.join(',')];
  for (const r of rows) {
    const cells = [
      String(r.id),
      new Date(r.at).toISOString(),
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
