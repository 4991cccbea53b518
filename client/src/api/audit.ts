// Where an audit view reads from: a project's log (managers) or the whole log (administrators:
// every project's entries and those of no project, with names). AuditTab takes either.
import type { AuditFilterInput, AuditRow } from '../../../shared/api/audit.ts';
import { api, auditExportUrl, queryString, request, type Page } from '../api.ts';

export interface AuditSource {
  page(cursor: string | null, filter: AuditFilterInput): Promise<Page<AuditRow>>;
  actions(): Promise<{ items: string[] }>;
  exportUrl(filter: AuditFilterInput): string;
  fileName: string;
  /** Entries name their project (the whole log). */
  showsProject: boolean;
}

export const projectAudit = (projectId: string): AuditSource => ({
  page: (cursor, filter) => api.audit(projectId, cursor, filter),
  actions: () => api.auditActions(projectId),
  exportUrl: (filter) => auditExportUrl(projectId, filter),
  fileName: `audit-${projectId}.csv`,
  showsProject: false,
});

export const wholeAudit: AuditSource = {
  page: (cursor, filter) => request<Page<AuditRow>>('GET', `/admin/audit${queryString({ limit: 50, cursor, ...filter })}`),
  actions: () => request<{ items: string[] }>('GET', '/admin/audit/actions'),
  exportUrl: (filter) => `/api/admin/audit/export${queryString({ ...filter })}`,
  fileName: 'audit.csv',
  showsProject: true,
};
