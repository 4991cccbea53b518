// Review statistics from a hand-made history, and where edits move an image by the editor's role.
import { describe, expect, it } from 'vitest';
import type { ImageId, ProjectId, UserId } from '../../shared/ids.ts';
import type { ImageStatus } from '../../shared/roles.ts';
import type { ReviewEventRecord } from '../ports/review.ts';
import { computeReviewStats } from './review-stats.ts';
import { statusAfterEdit } from './review.ts';

let id = 0;
const ev = (image: string, from: ImageStatus, to: ImageStatus, actor: string, at: number): ReviewEventRecord => ({
  id: ++id, imageId: image as ImageId, projectId: 'p' as ProjectId, from, to, actorId: actor as UserId, at, reason: null, shapeId: null,
});
const H = 3_600_000;

describe('review statistics', () => {
  it('counts per annotator (first-review approvals, rejection rate, median turnaround) and per reviewer', () => {
    const day = Date.UTC(2026, 0, 5);
    const events = [
      ev('a', 'in_progress', 'submitted', 'ann1', day),
      ev('a', 'submitted', 'approved', 'rev', day + 1 * H),
      ev('b', 'in_progress', 'submitted', 'ann1', day),
      ev('b', 'submitted', 'changes_requested', 'rev', day + 3 * H),
      ev('b', 'changes_requested', 'in_progress', 'ann1', day + 4 * H),
      ev('b', 'in_progress', 'submitted', 'ann1', day + 5 * H),
      ev('b', 'submitted', 'approved', 'mgr', day + 24 * H + 5 * H),
      ev('c', 'in_progress', 'submitted', 'ann2', day),
      // An annotator's edit pulls it back before anyone decides: no review to count.
      ev('c', 'submitted', 'in_progress', 'ann2', day + H),
    ];
    const stats = computeReviewStats(events, new Map([['ann1', 'Ann One'], ['rev', 'Rev'], ['mgr', 'Boss']]));
    expect(stats.annotators).toEqual([
      { userId: 'ann1', name: 'Ann One', submitted: 2, approvedFirstTime: 1, reviewed: 3, rejected: 1, rejectionRate: 1 / 3, medianTurnaroundMs: 3 * H },
      { userId: 'ann2', name: 'ann2', submitted: 1, approvedFirstTime: 0, reviewed: 0, rejected: 0, rejectionRate: null, medianTurnaroundMs: null },
    ]);
    expect(stats.reviewers).toEqual([
      { userId: 'mgr', name: 'Boss', reviewed: 1, approved: 1, changesRequested: 0 },
      { userId: 'rev', name: 'Rev', reviewed: 2, approved: 1, changesRequested: 1 },
    ]);
    expect(stats.perDay).toEqual([
      { day: '2026-01-05', approved: 1, changesRequested: 1 },
      { day: '2026-01-06', approved: 1, changesRequested: 0 },
    ]);
  });
});

describe('edits and review state', () => {
  it('an annotator\'s edit to submitted or approved needs a new review; a reviewer\'s or manager\'s keeps submitted', () => {
    expect(statusAfterEdit('submitted', 'annotator')).toBe('in_progress');
    expect(statusAfterEdit('approved', 'annotator')).toBe('in_progress');
    expect(statusAfterEdit('submitted', 'reviewer')).toBeNull();
    expect(statusAfterEdit('submitted', 'manager')).toBeNull();
    expect(statusAfterEdit('approved', 'reviewer')).toBe('in_progress');
    for (const s of ['new', 'assigned', 'changes_requested'] as const) expect(statusAfterEdit(s, 'annotator')).toBe('in_progress');
    expect(statusAfterEdit('in_progress', 'annotator')).toBeNull();
  });
});
