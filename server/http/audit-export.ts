// The HTTP answer for an audit CSV export (a project's log or the whole one): the file as an
// attachment, its row count in `x-audit-rows`, and `x-audit-truncated` when the export was capped.
import type { Context } from 'hono';

export function auditCsvResponse(c: Context, r: { csv: string; rows: number; truncated: boolean }, fileName: string): Response {
  return c.body(r.csv, 200, {
    'content-type': 'text/csv; charset=utf-8',
    'content-disposition': `attachment; filename="${fileName}"`,
    'x-audit-rows': String(r.rows),
    ...(r.truncated ? { 'x-audit-truncated': `only the newest ${r.rows} entries: narrow the filters for older ones` } : {}),
  });
}
