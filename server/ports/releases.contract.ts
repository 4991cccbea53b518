// The contract every ReleaseRepo adapter passes: records read back exactly by id, number and
// latest; a taken number or id refused as `conflict` with nothing written; newest-first pages that
// neither skip nor repeat; aliases set and moved; QA newest first and the latest per release;
// cached artifacts (exports and the EDA report) kept once per (release, kind); other projects
// invisible; gates per project; referencedAmong naming exactly the manifests, listed images,
// cached artifacts and gate reports.
import { describe, expect, it } from 'vitest';
import type { ProjectId, Sha256, UserId } from '../../shared/ids.ts';
import type { ReleaseRecord, ReleaseRepo } from './releases.ts';

export interface ReleaseRepoFixture {
  repo: ReleaseRepo;
  /** Two projects that exist (SQLite checks the foreign key). */
  projectId: ProjectId;
  otherProjectId: ProjectId;
  userId: UserId;
  cleanup?(): void;
}

const hex = (c: string) => c.repeat(64).slice(0, 64) as Sha256;

export function releaseRecord(f: Pick<ReleaseRepoFixture, 'projectId' | 'userId'>, id: Sha256, number: number, parentId: Sha256 | null = null, projectId = f.projectId): ReleaseRecord {
  return {
    id,
    projectId,
    number,
    parentId,
    createdAt: 1000 + number,
    createdBy: f.userId,
    notes: `notes of ${number}`,
    split: { train: 0.8, val: 0.1, test: 0.1, salt: 's' },
    counts: { images: number, shapes: 2 * number, tags: 0, splits: { train: { images: number, shapes: 2 * number }, val: { images: 0, shapes: 0 }, test: { images: 0, shapes: 0 } }, classes: { car: { train: number, val: 0, test: 0 } } },
    diff: {
      counts: { imagesAdded: number, imagesRemoved: 0, imagesChanged: 0, shapesAdded: 0, shapesRemoved: 0, shapesMoved: 0, shapesRelabelled: 0, shapesChanged: 0 },
      images: { added: [{ blob: hex('f'), fileName: 'f.jpg' }], removed: [], changed: [] },
      shapes: { added: [], removed: [], moved: [], relabelled: [], changed: [] },
      classes: [{ id: 'car', name: 'car', before: 0, after: number }],
    },
    generatedNotes: [`line ${number}`],
    report: { included: number, unreviewedEdits: 1, noRevision: 2 },
  };
}

export function releaseRepoContract(name: string, make: () => Promise<ReleaseRepoFixture>) {
  describe(`ReleaseRepo contract: ${name}`, () => {
    const withFixture = (fn: (f: ReleaseRepoFixture) => Promise<void>) => async () => {
      const f = await make();
      try {
        await fn(f);
      } finally {
        f.cleanup?.();
      }
    };

    it(
      'reads back what was inserted by id, number and latest; refuses a taken number or id and writes nothing',
      withFixture(async (f) => {
        expect(await f.repo.latest(f.projectId)).toBeNull();
        const a = releaseRecord(f, hex('a'), 1);
        const b = releaseRecord(f, hex('b'), 2, a.id);
        await f.repo.insert(a, [hex('1'), hex('2'), hex('1')]);
        await f.repo.insert(b, [hex('2')]);
        expect(await f.repo.byId(f.projectId, a.id)).toEqual(a);
        expect(await f.repo.stateKey(a.id), 'a release inserted without a state key').toBeNull();
        expect(await f.repo.byNumber(f.projectId, 2)).toEqual(b);
        expect(await f.repo.latest(f.projectId)).toEqual(b);
        await expect(f.repo.insert(releaseRecord(f, hex('c'), 2), [hex('9')])).rejects.toMatchObject({ code: 'conflict' });
        await expect(f.repo.insert(releaseRecord(f, a.id, 3), [hex('8')])).rejects.toMatchObject({ code: 'conflict' });
        expect(await f.repo.byId(f.projectId, hex('c'))).toBeNull();
        expect(await f.repo.byNumber(f.projectId, 3)).toBeNull();
        // Nothing of a refused insert holds a blob.
        expect(await f.repo.referencedAmong([hex('9'), hex('8')])).toEqual([]);
        // Another project sees none of them.
        expect(await f.repo.byId(f.otherProjectId, a.id)).toBeNull();
        expect(await f.repo.latest(f.otherProjectId)).toBeNull();
        expect(await f.repo.list(f.otherProjectId, { limit: 10 })).toEqual([]);
      }),
    );

    it(
      'keeps the state key a release was cut from beside it, not in its record',
      withFixture(async (f) => {
        const a = releaseRecord(f, hex('a'), 1);
        await f.repo.insert(a, [], 'key-of-a');
        expect(await f.repo.stateKey(a.id)).toBe('key-of-a');
        expect(await f.repo.byId(f.projectId, a.id)).toEqual(a);
        expect(await f.repo.list(f.projectId, { limit: 5 })).toEqual([a]);
        expect(await f.repo.stateKey(hex('b'))).toBeNull();
        // A refused insert leaves the stored key as it was.
        await expect(f.repo.insert(releaseRecord(f, a.id, 2), [], 'other')).rejects.toMatchObject({ code: 'conflict' });
        expect(await f.repo.stateKey(a.id)).toBe('key-of-a');
      }),
    );

    it(
      'lists newest first in pages that neither skip nor repeat',
      withFixture(async (f) => {
        const ids = 'abcdefg'.split('');
        for (const [i, c] of ids.entries()) await f.repo.insert(releaseRecord(f, hex(c), i + 1), []);
        await f.repo.insert(releaseRecord(f, hex('0'), 1, null, f.otherProjectId), []);
        const seen: number[] = [];
        let before: number | undefined;
        for (;;) {
          const page = await f.repo.list(f.projectId, { limit: 3, before });
          seen.push(...page.map((r) => r.number));
          if (page.length < 3) break;
          before = page[page.length - 1].number;
        }
        expect(seen).toEqual([7, 6, 5, 4, 3, 2, 1]);
      }),
    );

    it(
      'sets and moves aliases, per project',
      withFixture(async (f) => {
        await f.repo.insert(releaseRecord(f, hex('a'), 1), []);
        await f.repo.insert(releaseRecord(f, hex('b'), 2), []);
        await f.repo.insert(releaseRecord(f, hex('0'), 1, null, f.otherProjectId), []);
        await f.repo.setAlias({ projectId: f.projectId, name: 'prod', releaseId: hex('a'), updatedAt: 1, updatedBy: f.userId });
        await f.repo.setAlias({ projectId: f.projectId, name: 'candidate', releaseId: hex('b'), updatedAt: 2, updatedBy: f.userId });
        await f.repo.setAlias({ projectId: f.otherProjectId, name: 'prod', releaseId: hex('0'), updatedAt: 3, updatedBy: f.userId });
        await f.repo.setAlias({ projectId: f.projectId, name: 'prod', releaseId: hex('b'), updatedAt: 4, updatedBy: f.userId });
        expect(await f.repo.alias(f.projectId, 'prod')).toEqual({ projectId: f.projectId, name: 'prod', releaseId: hex('b'), updatedAt: 4, updatedBy: f.userId });
        expect(await f.repo.alias(f.projectId, 'nope')).toBeNull();
        expect((await f.repo.aliases(f.projectId)).map((a) => [a.name, a.releaseId])).toEqual([
          ['candidate', hex('b')],
          ['prod', hex('b')],
        ]);
        expect((await f.repo.alias(f.otherProjectId, 'prod'))?.releaseId).toBe(hex('0'));
      }),
    );

    it(
      'keeps QA verdicts newest first, and the latest of each release',
      withFixture(async (f) => {
        await f.repo.insert(releaseRecord(f, hex('a'), 1), []);
        await f.repo.insert(releaseRecord(f, hex('b'), 2), []);
        await f.repo.addQa({ releaseId: hex('a'), status: 'failed', notes: 'loose boxes', actorId: f.userId, at: 5 });
        await f.repo.addQa({ releaseId: hex('a'), status: 'validated', notes: 'fixed', actorId: f.userId, at: 5 });
        expect((await f.repo.qaHistory(hex('a'))).map((q) => [q.status, q.notes])).toEqual([
          ['validated', 'fixed'],
          ['failed', 'loose boxes'],
        ]);
        const latest = await f.repo.latestQa([hex('a'), hex('b')]);
        expect([...latest.keys()]).toEqual([hex('a')]);
        expect(latest.get(hex('a'))).toEqual({ releaseId: hex('a'), status: 'validated', notes: 'fixed', actorId: f.userId, at: 5 });
        expect((await f.repo.latestQa([])).size).toBe(0);
      }),
    );

    it(
      'caches one artifact per (release, kind), and names exactly the blobs releases hold',
      withFixture(async (f) => {
        await f.repo.insert(releaseRecord(f, hex('a'), 1), [hex('1'), hex('2')]);
        await f.repo.putExport({ releaseId: hex('a'), format: 'coco', blob: hex('3'), bytes: 10, createdAt: 1 });
        await f.repo.putExport({ releaseId: hex('a'), format: 'coco', blob: hex('4'), bytes: 11, createdAt: 2 });
        await f.repo.putExport({ releaseId: hex('a'), format: 'report', blob: hex('5'), bytes: 12, createdAt: 3 });
        expect(await f.repo.export(hex('a'), 'coco')).toEqual({ releaseId: hex('a'), format: 'coco', blob: hex('3'), bytes: 10, createdAt: 1 });
        expect((await f.repo.export(hex('a'), 'report'))?.blob).toBe(hex('5'));
        expect(await f.repo.export(hex('a'), 'yolo')).toBeNull();
        const held = await f.repo.referencedAmong([hex('a'), hex('1'), hex('2'), hex('3'), hex('4'), hex('5'), hex('6')]);
        expect([...held].sort()).toEqual([hex('1'), hex('2'), hex('3'), hex('5'), hex('a')].sort());
      }),
    );

    it(
      'keeps a gate per project: parameters set and changed, the last refused report kept and held for GC',
      withFixture(async (f) => {
        expect(await f.repo.gate(f.projectId)).toBeNull();
        await f.repo.setGate({ projectId: f.projectId, validate: { iou: 0.9 }, updatedAt: 1, updatedBy: f.userId });
        await f.repo.gateRefused(f.projectId, hex('7'), 2);
        await f.repo.setGate({ projectId: f.projectId, validate: null, updatedAt: 3, updatedBy: f.userId });
        expect(await f.repo.gate(f.projectId)).toEqual({ projectId: f.projectId, validate: null, updatedAt: 3, updatedBy: f.userId, lastReport: hex('7'), lastReportAt: 2 });
        expect(await f.repo.gate(f.otherProjectId)).toBeNull();
        expect(await f.repo.referencedAmong([hex('7'), hex('6')])).toEqual([hex('7')]);
      }),
    );
  });
}
