// Request and response shapes of the review routes (DESIGN.md "Review (REST)"), the refusal
// reasons a review move can be refused with, and the base64 state-vector codec both sides use.
import { z } from 'zod';
import * as Y from 'yjs';
import { fromBase64, toBase64 } from 'lib0/buffer';
import type { ImageStatus } from '../roles.ts';

/** Why a review move was refused: `error.details.reason` of the 403/409 answer. */
export const REVIEW_REFUSAL = {
  wrongRole: 'wrong_role',
  wrongState: 'wrong_state',
  notAssignee: 'not_assignee',
  fourEyes: 'four_eyes',
  /** The server's document differs from the `seen` the reviewer decided on. */
  changed: 'changed',
} as const;
export type ReviewRefusal = (typeof REVIEW_REFUSAL)[keyof typeof REVIEW_REFUSAL];

/** The moves the review routes make, with the statuses each may start from. */
export const REVIEW_MOVES = {
  submit: { from: ['assigned', 'in_progress', 'changes_requested'], to: 'submitted' },
  approve: { from: ['submitted'], to: 'approved' },
  requestChanges: { from: ['submitted'], to: 'changes_requested' },
} as const satisfies Record<string, { from: readonly ImageStatus[]; to: ImageStatus }>;
export type ReviewMove = keyof typeof REVIEW_MOVES;

export const MAX_REASON_CHARS = 2000;
const MAX_STATE_VECTOR_CHARS = 64 * 1024;

export const encodeStateVectorB64 = (sv: Uint8Array): string => toBase64(sv);
export const encodeUpdateB64 = (update: Uint8Array): string => toBase64(update);
export const decodeB64 = (s: string): Uint8Array => fromBase64(s);

/** Whether `s` is the base64 of a Yjs state vector; its decoded form, or why not. */
export function parseStateVector(s: string): { ok: true; value: Map<number, number> } | { ok: false; error: string } {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(s) || s.length % 4 !== 0) return { ok: false, error: 'not base64' };
  try {
    const bytes = fromBase64(s);
    if (bytes.length === 0) return { ok: false, error: 'empty (an empty document\'s state vector is "AA==")' };
    return { ok: true, value: Y.decodeStateVector(bytes) };
  } catch {
    return { ok: false, error: 'not a Yjs state vector (Y.encodeStateVector of the ann: document)' };
  }
}

/** `seen`: base64 of `Y.encodeStateVector` of the reviewer's copy of `ann:<imageId>`. */
export const SeenSchema = z
  .string({ error: 'required: base64 of Y.encodeStateVector of your copy of the ann: document' })
  .max(MAX_STATE_VECTOR_CHARS)
  .superRefine((s, ctx) => {
    const r = parseStateVector(s);
    if (!r.ok) ctx.addIssue({ code: 'custom', message: r.error });
  });

export const SubmitBody = z.strictObject({});
export const ApproveBody = z.strictObject({ seen: SeenSchema });
export const RequestChangesBody = z.strictObject({
  reason: z
    .string({ error: 'required: say what needs to change' })
    .trim()
    .min(1, 'required: say what needs to change (not only spaces)')
    .max(MAX_REASON_CHARS),
  seen: SeenSchema.optional(),
  shapeId: z.string().min(1).max(64).optional(),
});
export type RequestChangesInput = z.infer<typeof RequestChangesBody>;

/** One move in an image's review history. */
export interface ReviewHistoryItem {
  from: ImageStatus;
  to: ImageStatus;
  actor: string;
  at: number;
  reason?: string;
  shapeId?: string;
}

export interface RevisionItem {
  sha256: string;
  /** base64 */
  stateVector: string;
  approvedBy: string;
  approvedAt: number;
}

export interface RevisionBody {
  sha256: string;
  stateVector: string;
  /** base64 of the stored `Y.encodeStateAsUpdate`. */
  update: string;
  approvedBy: string;
  approvedAt: number;
}

/** An image in a review queue: when it entered its status, by whom, and the latest reason for changes. */
export interface QueueItem {
  image: { id: string; fileName: string; width: number; height: number; sha256: string; thumbSha256: string | null; status: ImageStatus; assignee: string | null };
  since: number | null;
  by: string | null;
  reason: string | null;
  shapeId: string | null;
}

/** Review statistics of a project (managers). */
export interface ReviewStats {
  annotators: { userId: string; name: string; submitted: number; approvedFirstTime: number; reviewed: number; rejected: number; rejectionRate: number | null; medianTurnaroundMs: number | null }[];
  reviewers: { userId: string; name: string; reviewed: number; approved: number; changesRequested: number }[];
  /** Reviews decided per day (UTC), oldest first, for the chart. */
  perDay: { day: string; approved: number; changesRequested: number }[];
}
