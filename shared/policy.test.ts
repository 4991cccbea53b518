import { describe, expect, it } from 'vitest';
import { can, canSeeImage, docAccess } from './policy.ts';

describe('policy', () => {
  it('denies everything to a non-member', () => {
    expect(can(null, 'project.read')).toBe(false);
    expect(docAccess(null, 'u', { assigneeId: 'u' }, 'cmt')).toBe('none');
  });
  it('lets annotators see and write only what is assigned to them', () => {
    expect(canSeeImage('annotator', 'a1', { assigneeId: 'a2' })).toBe(false);
    expect(docAccess('annotator', 'a1', { assigneeId: 'a1' }, 'ann')).toBe('write');
    expect(docAccess('annotator', 'a1', { assigneeId: 'a2' }, 'ann')).toBe('none');
    expect(docAccess('annotator', 'a1', { assigneeId: null }, 'cmt')).toBe('none');
  });
  it('makes ann: read-only for engineer and qa but lets them comment', () => {
    for (const role of ['engineer', 'qa'] as const) {
      expect(docAccess(role, 'x', { assigneeId: null }, 'ann')).toBe('read');
      expect(docAccess(role, 'x', { assigneeId: null }, 'cmt')).toBe('write');
    }
  });
  it('lets reviewers and managers write any ann:', () => {
    expect(docAccess('reviewer', 'r', { assigneeId: 'a1' }, 'ann')).toBe('write');
    expect(docAccess('manager', 'm', { assigneeId: null }, 'ann')).toBe('write');
  });
});
