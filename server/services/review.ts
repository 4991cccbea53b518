// The review state machine (DESIGN.md "Review state machine"): submit, approve, request changes
// and the moves edits make, each checked here (role, state, assignee, four eyes), committed with
// its history row and audit entry in one transaction, then published on the event bus. Approval
// stores the server's `ann:` state as an immutable revision, only when it equals the reviewer's `seen`.
import * as Y from 'yjs';
import { AppError, notFound } from '../../shared/errors.ts';
import { can, canApproveOwnSubmission } from '../../shared/policy.ts';
import { docName, parseDocName, type ImageId, type ProjectId, type Sha256, type UserId } from '../../shared/ids.ts';
import type { ImageStatus, Role } from '../../shared/roles.ts';
import { openThread, readShape } from '../../shared/doc/index.ts';
import { PROJECT_EVENT } from '../../shared/api/events.ts';
import { decodeB64, REVIEW_MOVES, REVIEW_REFUSAL, type ReviewMove, type ReviewRefusal } from '../../shared/api/review.ts';
import type { EventBus } from '../ports/event-bus.ts';
import type { ImageRecord } from '../ports/images.ts';
import type { DataStore, Repositories } from '../ports/repositories.ts';
import { audit } from './audit.ts';
import { coalescePerKey } from './coalesce.ts';
import type { ServiceDeps } from './deps.ts';
import { sha256Hex, now } from './ids.ts';
import { imageView, type ImageView } from './images.ts';

export interface Reviewer {
  userId: UserId;
  role: Role;
}

/** A refused move: 403 for who is asking, 409 for the image's state; `details.reason` names which rule. */
export function refuse(reason: ReviewRefusal, message: string, extra: Record<string, unknown> = {}): AppError {
  const code = reason === REVIEW_REFUSAL.wrongState || reason === REVIEW_REFUSAL.changed ? 'conflict' : 'forbidden';
  return new AppError(code, message, { reason, ...extra });
}

const STATUS_WORDS: Record<ImageStatus, string> = {
  new: 'new',
  assigned: 'assigned',
  in_progress: 'in progress',
  submitted: 'submitted',
  approved: 'approved',
  changes_requested: 'waiting for changes',
};

async function imageIn(r: Pick<Repositories, 'images'>, projectId: ProjectId, imageId: ImageId): Promise<ImageRecord> {
  const image = await r.images.byId(imageId);
  if (!image || image.projectId !== projectId) throw notFound(`image "${imageId}" in this project`);
  return image;
}

/** Checks a move against the rules, for `who` on `image` as it is now. */
async function check(r: Pick<Repositories, 'review' | 'projects'>, move: ReviewMove, who: Reviewer, image: ImageRecord): Promise<void> {
  const action = move === 'submit' ? 'review.submit' : 'review.decide';
  if (!can(who.role, action)) {
    throw refuse(REVIEW_REFUSAL.wrongRole, move === 'submit' ? `a ${who.role} may not submit images for review` : `a ${who.role} may not approve or request changes: reviewers and managers do`);
  }
  if (move === 'submit' && who.role === 'annotator' && image.assigneeId !== who.userId) {
    throw refuse(REVIEW_REFUSAL.notAssignee, 'only the annotator this image is assigned to (or a reviewer or manager) may submit it');
  }
  const allowed = REVIEW_MOVES[move].from as readonly ImageStatus[];
  if (!allowed.includes(image.status)) {
    const verb = move === 'submit' ? 'submit' : move === 'approve' ? 'approve' : 'request changes to';
    throw refuse(REVIEW_REFUSAL.wrongState, `cannot ${verb} an image that is ${STATUS_WORDS[image.status]}: only ${allowed.map((s) => STATUS_WORDS[s]).join(', ')} images`, { status: image.status });
  }
  if (move === 'approve' && !canApproveOwnSubmission(who.role) && (await r.projects.byId(image.projectId))?.fourEyes !== false) {
    const last = await r.review.lastMoveTo(image.id, 'submitted');
    if (last?.actorId === who.userId) throw refuse(REVIEW_REFUSAL.fourEyes, 'you submitted this image yourself: another reviewer (or a manager) must approve it (a manager can turn four eyes off in the project settings)');
  }
}

interface MoveExtra {
  reason?: string;
  shapeId?: string;
  /** The approved revision (audit details only). */
  revision?: string;
}

/** Moves the status (if it is still `image.status`), appends the history row and the audit entry. */
async function move(r: Repositories, image: ImageRecord, to: ImageStatus, actorId: UserId, action: string, extra: MoveExtra = {}): Promise<boolean> {
  if (!(await r.images.moveStatus(image.id, image.status, to))) return false;
  const at = now();
  await r.review.appendEvent({ imageId: image.id, projectId: image.projectId, from: image.status, to, actorId, at, reason: extra.reason ?? null, shapeId: extra.shapeId ?? null });
  await audit(r, { actorId, projectId: image.projectId, action, subject: image.id, details: { from: image.status, to, ...extra } });
  return true;
}

function publish(events: EventBus, image: ImageRecord, from: ImageStatus, actorId: UserId, extra: MoveExtra = {}): void {
  events.publish(image.projectId, {
    type: PROJECT_EVENT.image,
    image: { id: image.id, status: image.status, from, assignee: image.assigneeId, actor: actorId, at: now(), ...extra },
  });
}

/** The move from `before` to its new status is committed: answer with the image and tell the project. */
function moved(s: ServiceDeps, before: ImageRecord, to: ImageStatus, actorId: UserId, extra?: MoveExtra): ImageView {
  const after = { ...before, status: to };
  publish(s.events, after, before.status, actorId, extra);
  return imageView(after);
}

export async function submitImage(s: ServiceDeps, who: Reviewer, projectId: ProjectId, imageId: ImageId): Promise<ImageView> {
  const image = await s.data.transaction(async (r) => {
    const image = await imageIn(r, projectId, imageId);
    await check(r, 'submit', who, image);
    await move(r, image, 'submitted', who.userId, 'review.submitted');
    return image;
  });
  return moved(s, image, 'submitted', who.userId);
}

/** The server's `ann:` state now: the update bytes and the decoded state vector. */
async function serverState(s: ServiceDeps, imageId: ImageId) {
  const doc = await s.docs.read(docName('ann', imageId));
  try {
    const update = Y.encodeStateAsUpdate(doc);
    const stateVector = Y.encodeStateVector(doc);
    return { doc, update, stateVector, clocks: Y.decodeStateVector(stateVector) };
  } catch (e) {
    doc.destroy();
    throw e;
  }
}

/** What differs between the server's clocks and `seen`'s: empty when equal. */
export function stateDifference(server: Map<number, number>, seen: Map<number, number>) {
  const newer: { client: number; server: number; seen: number }[] = [];
  const unknown: { client: number; server: number; seen: number }[] = [];
  for (const [client, clock] of server) {
    const theirs = seen.get(client) ?? 0;
    if (clock > theirs) newer.push({ client, server: clock, seen: theirs });
  }
  for (const [client, clock] of seen) {
    const ours = server.get(client) ?? 0;
    if (clock > ours) unknown.push({ client, server: ours, seen: clock });
  }
  return { newer, unknown };
}

function changedSince(server: Map<number, number>, seenB64: string): AppError | null {
  const seen = Y.decodeStateVector(decodeB64(seenB64));
  const { newer, unknown } = stateDifference(server, seen);
  if (newer.length === 0 && unknown.length === 0) return null;
  const parts: string[] = [];
  if (newer.length) parts.push(`the server has ${newer.reduce((n, d) => n + d.server - d.seen, 0)} newer change(s) from ${newer.length} writer(s) that your copy lacks`);
  if (unknown.length) parts.push(`your copy has ${unknown.reduce((n, d) => n + d.seen - d.server, 0)} change(s) the server has not received yet`);
  return refuse(REVIEW_REFUSAL.changed, `the image changed since you looked: ${parts.join('; ')}. Look at it again and decide on what is there now`, { newer, unknown });
}

/**
 * Approves a submitted image when the server's `ann:` state vector equals `seen` exactly, storing
 * that state as the approved revision. Otherwise 409 `conflict` and nothing is approved.
 */
export async function approveImage(s: ServiceDeps, who: Reviewer, projectId: ProjectId, imageId: ImageId, seen: string): Promise<ImageView & { revision: string }> {
  await check(s.data, 'approve', who, await imageIn(s.data, projectId, imageId));
  const state = await serverState(s, imageId);
  state.doc.destroy();
  const stale = changedSince(state.clocks, seen);
  if (stale) throw stale;
  // who created and last changed each shape of exactly this state (issue 14): an edit since is a change
  const { provenance, stateVector } = await s.docs.provenance(docName('ann', imageId));
  const since = changedSince(Y.decodeStateVector(stateVector), seen);
  if (since) throw since;
  const sha256 = sha256Hex(state.update) as Sha256;
  const image = await s.data.transaction(async (r) => {
    // Checked again inside the transaction: an edit recorded meanwhile moved it (then: wrong state).
    const image = await imageIn(r, projectId, imageId);
    await check(r, 'approve', who, image);
    await r.review.insertRevision({ imageId, projectId, sha256, update: state.update, stateVector: state.stateVector, approvedBy: who.userId, approvedAt: now(), provenance });
    await move(r, image, 'approved', who.userId, 'review.approved', { revision: sha256 });
    return image;
  });
  return { ...moved(s, image, 'approved', who.userId), revision: sha256 };
}

/**
 * Sends a submitted image back with a reason. With `seen`, refuses (409) when the image changed
 * since; with `shapeId`, the reason is also posted as a comment thread anchored on that shape.
 */
export async function requestChanges(
  s: ServiceDeps,
  who: Reviewer,
  projectId: ProjectId,
  imageId: ImageId,
  input: { reason: string; seen?: string; shapeId?: string },
): Promise<ImageView> {
  await check(s.data, 'requestChanges', who, await imageIn(s.data, projectId, imageId));
  if (input.seen !== undefined || input.shapeId !== undefined) {
    const state = await serverState(s, imageId);
    try {
      const stale = input.seen !== undefined ? changedSince(state.clocks, input.seen) : null;
      if (stale) throw stale;
      if (input.shapeId !== undefined && !readShape(state.doc, input.shapeId)) {
        throw new AppError('validation', `body field "shapeId": this image has no shape "${input.shapeId}"`);
      }
    } finally {
      state.doc.destroy();
    }
  }
  const extra: MoveExtra = { reason: input.reason, ...(input.shapeId !== undefined ? { shapeId: input.shapeId } : {}) };
  const image = await s.data.transaction(async (r) => {
    const image = await imageIn(r, projectId, imageId);
    await check(r, 'requestChanges', who, image);
    await move(r, image, 'changes_requested', who.userId, 'review.changes_requested', extra);
    return image;
  });
  if (input.shapeId !== undefined) {
    const shapeId = input.shapeId;
    // The state move is committed; the comment is the reason's second home, so a failure here is reported, not undone.
    await s.docs
      .change(docName('cmt', imageId), who.userId, (doc) => void openThread(doc, { anchor: { shapeId }, text: input.reason }, { author: who.userId }))
      .catch((e) => console.error('could not post the reason for changes as a comment', { image: imageId, error: String(e) }));
  }
  return moved(s, image, 'changes_requested', who.userId, extra);
}

/** Where an edit by someone with `role` moves an image that is `status` (null: it stays). */
export function statusAfterEdit(status: ImageStatus, role: Role): ImageStatus | null {
  switch (status) {
    case 'new':
    case 'assigned':
    case 'changes_requested':
    case 'approved':
      return 'in_progress';
    case 'submitted':
      // A reviewer may fix a detail before approving; the annotator's edit needs a new review.
      return role === 'reviewer' || role === 'manager' ? null : 'in_progress';
    case 'in_progress':
      return null;
  }
}

/** Records that `userId` edited `docName` (after the edit is durable). Cheap when nothing moves: one two-column read (status and project), and the member row when the status may move. */
export async function recordEdit(data: DataStore, events: EventBus, name: string, userId: string): Promise<void> {
  const parsed = parseDocName(name);
  if (!parsed || parsed.kind !== 'ann') return;
  const seen = await data.images.statusOf(parsed.imageId);
  if (!seen || seen.status === 'in_progress') return;
  const role = (await data.members.get(seen.projectId, userId as UserId))?.role;
  if (!role) return;
  const moved = await data.transaction(async (r) => {
    const image = await r.images.byId(parsed.imageId);
    const to = image && statusAfterEdit(image.status, role);
    if (!image || !to) return null;
    return (await move(r, image, to, userId as UserId, 'review.edited')) ? { image, to } : null;
  });
  if (moved) publish(events, { ...moved.image, status: moved.to }, moved.image.status, userId as UserId);
}

/**
 * The sync server's after-update hook: records the edit, reporting (not throwing) a failure. One
 * recording per document and user at a time, and one more if edits arrived meanwhile: a burst of
 * updates costs two, not one per update (each is a read or two).
 */
export function editRecorder(data: DataStore, events: EventBus, log: (message: string, details?: Record<string, unknown>) => void = console.error) {
  return coalescePerKey<[string, string]>(
    (name, userId) => `${userId} ${name}`,
    (name, userId) => recordEdit(data, events, name, userId),
    (e, name) => log('recording an edit failed', { doc: name, error: String(e) }),
  );
}
