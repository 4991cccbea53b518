// The contract of the comment index: messages keep the number they were first seen with, removed
// messages stop counting, a user's own messages never count as unread for them, a read mark covers
// what the image had when it was set (and never moves back), projects are kept apart.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ImageId, ProjectId, UserId } from '../../shared/ids.ts';
import type { CommentIndexRepo, IndexedMessage } from './comment-index.ts';

export interface CommentIndexFixture {
  index: CommentIndexRepo;
  /** Creates what the index's rows refer to (users, projects, images), where the store checks that. */
  seed(rows: { users: string[]; images: { id: string; projectId: string }[] }): Promise<void>;
  close(): void | Promise<void>;
}

const P = 'p-ci' as ProjectId;
const Q = 'q-ci' as ProjectId;
const [ann, rev, mgr] = ['u-ann', 'u-rev', 'u-mgr'] as UserId[];
const img = (s: string) => s as ImageId;
const msg = (id: string, authorId: string, threadId = 't1'): IndexedMessage => ({ id, threadId, authorId });
const plain = (m: Map<ImageId, number>) => Object.fromEntries([...m].sort(([a], [b]) => (a < b ? -1 : 1)));

export function commentIndexContract(name: string, make: () => CommentIndexFixture | Promise<CommentIndexFixture>) {
  describe(`comment index contract: ${name}`, () => {
    let f: CommentIndexFixture;
    let x: CommentIndexRepo;
    beforeEach(async () => {
      f = await make();
      x = f.index;
      await f.seed({ users: [ann, rev, mgr], images: [{ id: 'i1', projectId: P }, { id: 'i2', projectId: P }, { id: 'j1', projectId: Q }] });
    });
    afterEach(() => f.close());

    it('counts messages by others that arrived after the last read, per image', async () => {
      expect(await x.replace(P, img('i1'), [msg('m1', rev), msg('m2', ann), msg('m3', mgr, 't2')])).toEqual({ added: 3, removed: 0 });
      await x.replace(P, img('i2'), [msg('n1', ann)]);
      expect(plain(await x.unread(P, ann))).toEqual({ i1: 2 });
      expect(plain(await x.unread(P, rev))).toEqual({ i1: 2, i2: 1 });
      await x.markRead(ann, img('i1'));
      expect(plain(await x.unread(P, ann))).toEqual({});
      await x.replace(P, img('i1'), [msg('m1', rev), msg('m2', ann), msg('m3', mgr, 't2'), msg('m4', rev)]);
      expect(plain(await x.unread(P, ann))).toEqual({ i1: 1 });
      // The reviewer's own read marks are theirs alone.
      expect(plain(await x.unread(P, rev))).toEqual({ i1: 2, i2: 1 });
    });

    it('keeps a known message its number when the set is given again, and forgets removed ones', async () => {
      await x.replace(P, img('i1'), [msg('m1', rev), msg('m2', rev)]);
      await x.markRead(ann, img('i1'));
      // Same messages in another order, one removed, one new: only the new one is unread.
      expect(await x.replace(P, img('i1'), [msg('m3', rev), msg('m1', rev)])).toEqual({ added: 1, removed: 1 });
      expect(plain(await x.unread(P, ann))).toEqual({ i1: 1 });
      expect(await x.replace(P, img('i1'), [msg('m3', rev), msg('m1', rev)])).toEqual({ added: 0, removed: 0 });
      expect(await x.replace(P, img('i1'), [])).toEqual({ added: 0, removed: 2 });
      expect(plain(await x.unread(P, ann))).toEqual({});
    });

    it('takes a duplicated id once and keeps projects apart', async () => {
      expect(await x.replace(P, img('i1'), [msg('m1', rev), msg('m1', rev)])).toEqual({ added: 1, removed: 0 });
      await x.replace(Q, img('j1'), [msg('k1', rev)]);
      expect(plain(await x.unread(P, ann))).toEqual({ i1: 1 });
      expect(plain(await x.unread(Q, ann))).toEqual({ j1: 1 });
    });

    it('never moves a read mark back and marks an image without messages harmlessly', async () => {
      await x.markRead(ann, img('i2'));
      await x.replace(P, img('i1'), [msg('m1', rev), msg('m2', rev)]);
      await x.markRead(ann, img('i1'));
      await x.replace(P, img('i1'), [msg('m2', rev)]);
      await x.markRead(ann, img('i1'));
      await x.replace(P, img('i1'), [msg('m2', rev), msg('m5', rev)]);
      expect(plain(await x.unread(P, ann))).toEqual({ i1: 1 });
    });
  });
}
