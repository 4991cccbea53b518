// Review statistics of a project, from its review history: per annotator (the one who submitted),
// images submitted, approved at their first review, rejection rate and median turnaround
// (submission → decision); per reviewer, images reviewed; decisions per day for the chart.
import type { ProjectId } from '../../shared/ids.ts';
import type { ReviewStats } from '../../shared/api/review.ts';
import type { ReviewEventRecord } from '../ports/review.ts';
import type { ServiceDeps } from './deps.ts';

const median = (xs: number[]): number | null => {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

/** `events` oldest first; `names` maps user ids to display names. */
export function computeReviewStats(events: readonly ReviewEventRecord[], names: ReadonlyMap<string, string>): ReviewStats {
  const annotators = new Map<string, { submitted: Set<string>; firstDecided: Set<string>; approvedFirstTime: number; reviewed: number; rejected: number; turnarounds: number[] }>();
  const reviewers = new Map<string, { images: Set<string>; approved: number; changesRequested: number }>();
  const perDay = new Map<string, { approved: number; changesRequested: number }>();
  /** Per image: the pending submission (who, when). */
  const pending = new Map<string, { by: string; at: number }>();
  const annotator = (id: string) => {
    let a = annotators.get(id);
    if (!a) annotators.set(id, (a = { submitted: new Set(), firstDecided: new Set(), approvedFirstTime: 0, reviewed: 0, rejected: 0, turnarounds: [] }));
    return a;
  };
  for (const e of events) {
    if (e.to === 'submitted') {
      annotator(e.actorId).submitted.add(e.imageId);
      pending.set(e.imageId, { by: e.actorId, at: e.at });
      continue;
    }
    if (e.to !== 'approved' && e.to !== 'changes_requested') {
      if (e.from === 'submitted') pending.delete(e.imageId);
      continue;
    }
    const approved = e.to === 'approved';
    let r = reviewers.get(e.actorId);
    if (!r) reviewers.set(e.actorId, (r = { images: new Set(), approved: 0, changesRequested: 0 }));
    r.images.add(e.imageId);
    approved ? r.approved++ : r.changesRequested++;
    const day = new Date(e.at).toISOString().slice(0, 10);
    const d = perDay.get(day) ?? { approved: 0, changesRequested: 0 };
    approved ? d.approved++ : d.changesRequested++;
    perDay.set(day, d);
    const sub = pending.get(e.imageId);
    pending.delete(e.imageId);
    if (!sub) continue;
    const a = annotator(sub.by);
    a.reviewed++;
    if (!approved) a.rejected++;
    a.turnarounds.push(e.at - sub.at);
    if (!a.firstDecided.has(e.imageId)) {
      a.firstDecided.add(e.imageId);
      if (approved) a.approvedFirstTime++;
    }
  }
  const name = (id: string) => names.get(id) ?? id;
  return {
    annotators: [...annotators]
      .map(([userId, a]) => ({
        userId,
        name: name(userId),
        submitted: a.submitted.size,
        approvedFirstTime: a.approvedFirstTime,
        reviewed: a.reviewed,
        rejected: a.rejected,
        rejectionRate: a.reviewed ? a.rejected / a.reviewed : null,
        medianTurnaroundMs: median(a.turnarounds),
      }))
      .sort((x, y) => x.name.localeCompare(y.name)),
    reviewers: [...reviewers]
      .map(([userId, r]) => ({ userId, name: name(userId), reviewed: r.images.size, approved: r.approved, changesRequested: r.changesRequested }))
      .sort((x, y) => x.name.localeCompare(y.name)),
    perDay: [...perDay].sort(([a], [b]) => (a < b ? -1 : 1)).map(([day, d]) => ({ day, ...d })),
  };
}

export async function reviewStats(s: ServiceDeps, projectId: ProjectId): Promise<ReviewStats> {
  const [events, members] = await Promise.all([s.data.review.projectHistory(projectId), s.data.members.list(projectId)]);
  return computeReviewStats(events, new Map(members.map((m) => [m.userId as string, m.displayName])));
}
