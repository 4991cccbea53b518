// Reading review state: an image's history and approved revisions, the review queues (reviewers:
// submitted, oldest first; annotators: their own work, changes requested first) and what the
// releases need (the latest approved revision of every image).
import { notFound } from '../../shared/errors.ts';
import type { ImageId, ProjectId, Sha256, UserId } from '../../shared/ids.ts';
import type { ImageStatus, Role } from '../../shared/roles.ts';
import { encodeStateVectorB64, encodeUpdateB64, type QueueItem, type ReviewHistoryItem, type RevisionBody, type RevisionItem } from '../../shared/api/review.ts';
import type { ImageRecord } from '../ports/images.ts';
import type { ApprovedRevisionRecord, ReviewEventRecord } from '../ports/review.ts';
import { visibleImage } from './access.ts';
import type { ServiceDeps } from './deps.ts';

const historyItem = (e: ReviewEventRecord): ReviewHistoryItem => ({
  from: e.from,
  to: e.to,
  actor: e.actorId,
  at: e.at,
  ...(e.reason !== null ? { reason: e.reason } : {}),
  ...(e.shapeId !== null ? { shapeId: e.shapeId } : {}),
});

export async function imageHistory(s: ServiceDeps, projectId: ProjectId, role: Role, userId: UserId, imageId: ImageId) {
  await visibleImage(s, projectId, role, userId, imageId);
  return { items: (await s.data.review.history(imageId)).map(historyItem) };
}

/** Approved revisions of an image, newest first. */
export async function imageRevisions(s: ServiceDeps, projectId: ProjectId, role: Role, userId: UserId, imageId: ImageId): Promise<{ items: RevisionItem[] }> {
  await visibleImage(s, projectId, role, userId, imageId);
  const items = (await s.data.review.revisions(imageId)).map((r) => ({ sha256: r.sha256, stateVector: encodeStateVectorB64(r.stateVector), approvedBy: r.approvedBy, approvedAt: r.approvedAt }));
  return { items };
}

export async function imageRevision(s: ServiceDeps, projectId: ProjectId, role: Role, userId: UserId, imageId: ImageId, sha256: Sha256): Promise<RevisionBody> {
  await visibleImage(s, projectId, role, userId, imageId);
  const r = await s.data.review.revision(imageId, sha256);
  if (!r) throw notFound(`approved revision "${sha256}" of this image`);
  return { sha256: r.sha256, stateVector: encodeStateVectorB64(r.stateVector), update: encodeUpdateB64(r.update), approvedBy: r.approvedBy, approvedAt: r.approvedAt };
}

/** For releases: the latest approved revision of every image of the project that has one. */
export function latestApprovedRevisions(s: ServiceDeps, projectId: ProjectId): Promise<ApprovedRevisionRecord[]> {
  return s.data.review.latestApproved(projectId);
}

const QUEUE_LIMIT = 5000;

const queueImage = (i: ImageRecord): QueueItem['image'] => ({
  id: i.id, fileName: i.fileName, width: i.width, height: i.height, sha256: i.sha256, thumbSha256: i.thumbSha256, status: i.status, assignee: i.assigneeId,
});

async function withLatestMoves(s: ServiceDeps, projectId: ProjectId, status: ImageStatus, images: ImageRecord[]): Promise<QueueItem[]> {
  const moves = new Map((await s.data.review.latestMovesTo(projectId, status)).map((e) => [e.imageId as string, e]));
  return images.map((i) => {
    const e = moves.get(i.id);
    return { image: queueImage(i), since: e?.at ?? null, by: e?.actorId ?? null, reason: e?.reason ?? null, shapeId: e?.shapeId ?? null };
  });
}

const bySince = (a: QueueItem, b: QueueItem) => (a.since ?? Infinity) - (b.since ?? Infinity) || (a.image.fileName < b.image.fileName ? -1 : 1);

/** The reviewers' queue: submitted images, the longest waiting first. */
export async function reviewQueue(s: ServiceDeps, projectId: ProjectId): Promise<{ items: QueueItem[] }> {
  const images = await s.data.images.list(projectId, { status: 'submitted' }, { limit: QUEUE_LIMIT });
  return { items: (await withLatestMoves(s, projectId, 'submitted', images)).sort(bySince) };
}

/** Someone's own work: changes requested first (with the reason), then assigned, then in progress. */
export async function myWork(s: ServiceDeps, projectId: ProjectId, userId: UserId): Promise<{ items: QueueItem[] }> {
  const out: QueueItem[] = [];
  for (const status of ['changes_requested', 'assigned', 'in_progress'] as const) {
    const images = await s.data.images.list(projectId, { status, assigneeId: userId }, { limit: QUEUE_LIMIT });
    out.push(...(await withLatestMoves(s, projectId, status, images)).sort(bySince));
  }
  return { items: out };
}
