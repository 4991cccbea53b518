// REST calls of the Releases page (DESIGN.md "Releases (REST)"): list, detail, the cut preview and
// the cut itself (a job), aliases, QA verdicts, the EDA report (and its stage on demand), and the
// links of export downloads.
import { request, type Page } from '../api.ts';
import type { CutBody, CutPreview, ReleaseDetail, ReleaseSummary } from '../../../shared/api/releases.ts';
import type { JobView } from '../../../shared/api/jobs.ts';
import type { ExportFormat } from '../../../shared/release/export-formats.ts';
import type { ReleaseReport } from '../../../shared/release/report.ts';

export type { CutPreview, ReleaseDetail, ReleaseSummary } from '../../../shared/api/releases.ts';

export interface ReleaseGate {
  validate: { iou: number } | null;
  updatedAt: number | null;
  updatedBy: string | null;
  /** The last refused cut: where its validation report is. */
  lastRefusal: { report: string; at: number | null } | null;
}

const p = (id: string) => `/projects/${encodeURIComponent(id)}`;
const r = (id: string, ref: string | number) => `${p(id)}/releases/${encodeURIComponent(String(ref))}`;

/** The zip of a release in one format (a download link). */
export const exportUrl = (id: string, ref: string | number, format: ExportFormat) => `/api${r(id, ref)}/export/${format}`;

export const releasesApi = {
  list: (id: string, cursor?: string | null) => request<Page<ReleaseSummary>>('GET', `${p(id)}/releases?limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`),
  detail: (id: string, ref: string | number) => request<ReleaseDetail>('GET', r(id, ref)),
  preview: (id: string) => request<CutPreview>('GET', `${p(id)}/release-preview`),
  cut: (id: string, body: CutBody) => request<{ job: Pick<JobView, 'id' | 'stage' | 'state' | 'progress' | 'createdAt'> }>('POST', `${p(id)}/releases`, body),
  job: (id: string, jobId: string) => request<JobView>('GET', `${p(id)}/jobs/${encodeURIComponent(jobId)}`),
  setAlias: (id: string, name: string, release: number) => request<{ name: string; release: number; id: string }>('PUT', `${p(id)}/aliases/${encodeURIComponent(name)}`, { release }),
  /** The EDA report (404 until the release-report stage has run on it). */
  report: (id: string, ref: string | number) => request<ReleaseReport>('GET', `${r(id, ref)}/report`),
  computeReport: (id: string, ref: string | number) => request<{ job: { id: string } }>('POST', `${r(id, ref)}/report`),
  gate: (id: string) => request<ReleaseGate>('GET', `${p(id)}/release-gate`),
  setGate: (id: string, validate: { iou?: number } | null) => request<ReleaseGate>('PUT', `${p(id)}/release-gate`, { validate }),
  qa: (id: string, ref: string | number, status: 'validated' | 'failed', notes: string) => request<unknown>('POST', `${r(id, ref)}/qa`, { status, notes }),
};
