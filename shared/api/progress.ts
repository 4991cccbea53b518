// The project progress summary (`GET /api/projects/:id/progress`): images by review status,
// overall and per assignee, counted by the server over the images the caller may see.
import type { UserId } from '../ids.ts';
import { IMAGE_STATUSES, type ImageStatus } from '../roles.ts';

export type StatusCounts = Record<ImageStatus, number>;

export interface ProgressSummary {
  total: number;
  counts: StatusCounts;
  /** One row per assignee (null: unassigned), with their images by status. */
  byAssignee: { assignee: UserId | null; total: number; counts: StatusCounts }[];
}

export const zeroCounts = (): StatusCounts => Object.fromEntries(IMAGE_STATUSES.map((s) => [s, 0])) as StatusCounts;

/** Folds (assignee, status, count) rows into the summary; assignees in first-seen order. */
export function summarise(rows: readonly { assigneeId: UserId | null; status: ImageStatus; count: number }[]): ProgressSummary {
  const out: ProgressSummary = { total: 0, counts: zeroCounts(), byAssignee: [] };
  const by = new Map<UserId | null, ProgressSummary['byAssignee'][number]>();
  for (const r of rows) {
    let row = by.get(r.assigneeId);
    if (!row) by.set(r.assigneeId, (row = { assignee: r.assigneeId, total: 0, counts: zeroCounts() }));
    row.counts[r.status] += r.count;
    row.total += r.count;
    out.counts[r.status] += r.count;
    out.total += r.count;
  }
  out.byAssignee = [...by.values()];
  return out;
}
