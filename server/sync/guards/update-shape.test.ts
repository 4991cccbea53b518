import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { deleteOnlyUpdate } from '../../testing/updates.ts';
import { checkUpdateShape, UPDATE_LIMITS, type UpdateLimits } from './update-shape.ts';

const check = (u: Uint8Array, limits: UpdateLimits = UPDATE_LIMITS) => checkUpdateShape(Y.decodeUpdate(u), limits);

describe('checkUpdateShape', () => {
  it('accepts what Yjs writes, and disjoint ranges in any order', () => {
    const doc = new Y.Doc();
    const arr = doc.getArray<number>('x');
    arr.push([1, 2, 3, 4, 5, 6]);
    arr.delete(1, 1);
    arr.delete(3, 2);
    expect(check(Y.encodeStateAsUpdate(doc))).toEqual({ ok: true });
    expect(check(deleteOnlyUpdate([[1, 10, 2], [1, 0, 5], [2, 0, 1]]))).toEqual({ ok: true });
  });

  it('refuses repeated or overlapping delete ranges before any per-range work', () => {
    const repeated = deleteOnlyUpdate(Array.from({ length: 1000 }, () => [5, 0, 100] as const));
    expect(check(repeated)).toMatchObject({ ok: false, code: 'malformed', message: expect.stringContaining('overlapping') });
    expect(check(deleteOnlyUpdate([[5, 0, 10], [5, 9, 2]]))).toMatchObject({ ok: false, code: 'malformed' });
  });

  it('caps structs and delete ranges per update', () => {
    const doc = new Y.Doc();
    for (let i = 0; i < 5; i++) doc.getMap('m').set(`k${i}`, i);
    expect(check(Y.encodeStateAsUpdate(doc), { maxStructs: 4, maxDeleteRanges: 10 })).toMatchObject({ ok: false, code: 'too_large' });
    expect(check(deleteOnlyUpdate([[1, 0, 1], [1, 2, 1], [1, 4, 1]]), { maxStructs: 10, maxDeleteRanges: 2 })).toMatchObject({ ok: false, code: 'too_large' });
  });
});
