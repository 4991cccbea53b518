// The contract of the review repository (part of every DataStore): history in append order, the
// latest moves per image, revisions inserted once and never replaced, the latest approved revision
// per image for releases, and rollback with the transaction.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ImageId, ProjectId, Sha256, UserId } from '../../shared/ids.ts';
import type { ImageStatus } from '../../shared/roles.ts';
import type { DataStoreFixture } from './repositories.contract.ts';
import type { DataStore } from './repositories.ts';
import type { ApprovedRevisionRecord } from './review.ts';

const u = 'u-rev' as UserId;
const p = 'p-rev' as ProjectId;
const sha = (c: string) => c.repeat(64).slice(0, 64) as Sha256;

export function reviewContract(name: string, make: () => DataStoreFixture | Promise<DataStoreFixture>) {
  describe(`review repository contract: ${name}`, () => {
    let f: DataStoreFixture;
    let s: DataStore;
    beforeEach(async () => {
      f = await make();
      s = f.store;
      await s.users.insert({ id: u, username: 'rev', displayName: 'Rev', passwordHash: 'x', isAdmin: false, createdAt: 1 });
      await s.projects.insert({ id: p, name: 'rev', description: '', createdAt: 1, createdBy: u });
      for (const [id, c] of [['i1', 'a'], ['i2', 'b'], ['i3', 'c']] as const) {
        await s.blobs.insertIfAbsent({ sha256: sha(c), size: 1, mime: 'image/png', createdAt: 1 });
        await s.images.insert({ id: id as ImageId, projectId: p, sha256: sha(c), fileName: `${id}.png`, mime: 'image/png', width: 1, height: 1, orientation: 1, thumbSha256: null, status: 'new', assigneeId: null, createdAt: 1, createdBy: u });
      }
    });
    afterEach(() => f.close());

    const moveTo = async (imageId: string, from: ImageStatus, to: ImageStatus, at: number, reason: string | null = null) => {
      await s.images.moveStatus(imageId as ImageId, from, to);
      await s.review.appendEvent({ imageId: imageId as ImageId, projectId: p, from, to, actorId: u, at, reason, shapeId: null });
    };
    const rev = (imageId: string, c: string, at: number): ApprovedRevisionRecord => ({
      imageId: imageId as ImageId, projectId: p, sha256: sha(c), update: new Uint8Array([1, 2, at]), stateVector: new Uint8Array([0]), approvedBy: u, approvedAt: at,
    });

    it('keeps history in order and finds the latest move to a status per image', async () => {
      await moveTo('i1', 'new', 'in_progress', 10);
      await moveTo('i1', 'in_progress', 'submitted', 20);
      await moveTo('i2', 'new', 'in_progress', 15);
      await moveTo('i2', 'in_progress', 'submitted', 30);
      await moveTo('i1', 'submitted', 'changes_requested', 40, 'fix it');
      await moveTo('i1', 'changes_requested', 'submitted', 50);
      expect((await s.review.history('i1' as ImageId)).map((e) => [e.from, e.to, e.at, e.reason])).toEqual([
        ['new', 'in_progress', 10, null],
        ['in_progress', 'submitted', 20, null],
        ['submitted', 'changes_requested', 40, 'fix it'],
        ['changes_requested', 'submitted', 50, null],
      ]);
      expect((await s.review.lastMoveTo('i1' as ImageId, 'submitted'))?.at).toBe(50);
      expect(await s.review.lastMoveTo('i3' as ImageId, 'submitted')).toBeNull();
      expect((await s.review.latestMovesTo(p, 'submitted')).map((e) => [e.imageId, e.at])).toEqual([['i2', 30], ['i1', 50]]);
      expect((await s.review.projectHistory(p)).length).toBe(6);
    });

    it('inserts a revision once, lists newest first and gives the latest approved one per image', async () => {
      await s.review.insertRevision(rev('i1', 'a', 1));
      await s.review.insertRevision({ ...rev('i1', 'a', 9), approvedBy: u });
      await s.review.insertRevision(rev('i1', 'b', 2));
      await s.review.insertRevision(rev('i2', 'c', 3));
      expect((await s.review.revisions('i1' as ImageId)).map((r) => r.sha256)).toEqual([sha('b'), sha('a')]);
      expect((await s.review.revision('i1' as ImageId, sha('a')))?.update).toEqual(new Uint8Array([1, 2, 1]));
      expect(await s.review.revision('i2' as ImageId, sha('a'))).toBeNull();
      expect((await s.review.latestApproved(p)).map((r) => [r.imageId, r.sha256, r.approvedAt])).toEqual([['i1', sha('b'), 2], ['i2', sha('c'), 3]]);
    });

    it('rolls back with a failed transaction', async () => {
      await expect(
        s.transaction(async (r) => {
          await r.review.insertRevision(rev('i1', 'a', 1));
          await r.review.appendEvent({ imageId: 'i1' as ImageId, projectId: p, from: 'new', to: 'in_progress', actorId: u, at: 1, reason: null, shapeId: null });
          throw new Error('boom');
        }),
      ).rejects.toThrow('boom');
      expect(await s.review.revisions('i1' as ImageId)).toEqual([]);
      expect(await s.review.history('i1' as ImageId)).toEqual([]);
    });
  });
}
