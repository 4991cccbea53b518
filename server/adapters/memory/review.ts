// In-memory review history and approved revisions, over the memory DataStore's tables (so that a
// failed transaction restores them with the rest).
import type { ImageRecord } from '../../ports/images.ts';
import type { ApprovedRevisionRecord, ReviewEventRecord, ReviewRepo } from '../../ports/review.ts';
import type { SyncOf } from '../serial.ts';

export interface ReviewTables {
  images: ImageRecord[];
  reviewEvents: ReviewEventRecord[];
  /** In insertion order. */
  revisions: ApprovedRevisionRecord[];
}

export function memoryReview(tables: () => ReviewTables, nextId: () => number): SyncOf<ReviewRepo> {
  const events = () => tables().reviewEvents;
  const summary = ({ update: _u, ...r }: ApprovedRevisionRecord) => structuredClone(r);
  return {
    appendEvent: (e) => void events().push(structuredClone({ ...e, id: nextId() })),
    history: (imageId) => structuredClone(events().filter((e) => e.imageId === imageId)),
    lastMoveTo: (imageId, to) => structuredClone(events().findLast((e) => e.imageId === imageId && e.to === to) ?? null),
    projectHistory: (projectId) => structuredClone(events().filter((e) => e.projectId === projectId)),
    latestMovesTo: (projectId, status) => {
      const now = new Set(tables().images.filter((i) => i.projectId === projectId && i.status === status).map((i) => i.id));
      const last = new Map<string, ReviewEventRecord>();
      for (const e of events()) if (now.has(e.imageId) && e.to === status) last.set(e.imageId, e);
      return structuredClone([...last.values()].sort((a, b) => a.id - b.id));
    },
    insertRevision: (r) => {
      if (!tables().revisions.some((x) => x.imageId === r.imageId && x.sha256 === r.sha256)) tables().revisions.push(structuredClone(r));
    },
    revisions: (imageId) => tables().revisions.filter((r) => r.imageId === imageId).reverse().map(summary),
    revision: (imageId, sha256) => structuredClone(tables().revisions.find((r) => r.imageId === imageId && r.sha256 === sha256) ?? null),
    latestApproved: (projectId) => {
      const last = new Map<string, ApprovedRevisionRecord>();
      for (const r of tables().revisions) if (r.projectId === projectId) last.set(r.imageId, r);
      return structuredClone([...last.values()].sort((a, b) => (a.imageId < b.imageId ? -1 : a.imageId > b.imageId ? 1 : 0)));
    },
  };
}
