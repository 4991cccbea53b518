// The contract every RunRepo adapter passes: insert and read back exactly, a taken id refused as
// `conflict`, newest-first pages that neither skip nor repeat, per-release lists, notes in order,
// runs of another project invisible, and heldByRuns naming only blobs of releases that a run names.
import { describe, expect, it } from 'vitest';
import type { ProjectId, Sha256, UserId } from '../../shared/ids.ts';
import type { RunRecord, RunRepo } from './runs.ts';

export interface RunRepoFixture {
  repo: RunRepo;
  projectId: ProjectId;
  otherProjectId: ProjectId;
  userId: UserId;
  /** Two releases of `projectId` and one of `otherProjectId`, each with the blobs it holds (manifest id first). */
  releases: { a: { id: Sha256; blobs: Sha256[] }; b: { id: Sha256; blobs: Sha256[] }; other: { id: Sha256; blobs: Sha256[] } };
  cleanup?(): void;
}

export function runRepoContract(name: string, make: () => Promise<RunRepoFixture>) {
  describe(`RunRepo contract: ${name}`, () => {
    const run = (f: RunRepoFixture, id: string, createdAt: number, releaseId: Sha256 = f.releases.a.id, projectId = f.projectId): RunRecord => ({
      id,
      projectId,
      releaseId,
      model: `m-${id}`,
      version: '1',
      metrics: { mAP: 0.5, AP: { car: 0.25 } },
      params: { lr: 0.01, layers: [1, 2] },
      code: null,
      split: 'test',
      createdBy: f.userId,
      createdAt,
    });

    it('reads back what was inserted, refuses a taken id, and hides other projects', async () => {
      const f = await make();
      try {
        const r = run(f, 'r1', 10);
        await f.repo.insert(r, { runId: 'r1', text: 'first', by: f.userId, at: 10 });
        expect(await f.repo.byId(f.projectId, 'r1')).toEqual(r);
        await expect(f.repo.insert(r)).rejects.toMatchObject({ code: 'conflict' });
        expect(await f.repo.byId(f.otherProjectId, 'r1')).toBeNull();
        await f.repo.insert(run(f, 'o1', 11, f.releases.other.id, f.otherProjectId));
        expect((await f.repo.list(f.projectId, { limit: 10 })).map((x) => x.id)).toEqual(['r1']);
      } finally {
        f.cleanup?.();
      }
    });

    it('pages newest first without gaps or repeats (ties on time broken by id), by release too', async () => {
      const f = await make();
      try {
        const ids = ['a', 'b', 'c', 'd', 'e'];
        for (const [i, id] of ids.entries()) await f.repo.insert(run(f, id, i < 3 ? 100 : 200, i % 2 ? f.releases.b.id : f.releases.a.id));
        const seen: string[] = [];
        let after: { createdAt: number; id: string } | undefined;
        for (;;) {
          const page = await f.repo.list(f.projectId, { limit: 2, after });
          seen.push(...page.map((r) => r.id));
          if (page.length < 2) break;
          after = { createdAt: page[1].createdAt, id: page[1].id };
        }
        expect(seen).toEqual(['e', 'd', 'c', 'b', 'a']);
        expect((await f.repo.list(f.projectId, { limit: 10, releaseId: f.releases.b.id })).map((r) => r.id)).toEqual(['d', 'b']);
      } finally {
        f.cleanup?.();
      }
    });

    it('keeps notes in order per run', async () => {
      const f = await make();
      try {
        await f.repo.insert(run(f, 'x', 1));
        await f.repo.insert(run(f, 'y', 2), { runId: 'y', text: 'y0', by: f.userId, at: 2 });
        await f.repo.addNote({ runId: 'x', text: 'x1', by: f.userId, at: 3 });
        await f.repo.addNote({ runId: 'x', text: 'x2', by: f.userId, at: 4 });
        const notes = await f.repo.notes(['x', 'y', 'none']);
        expect(notes.get('x')?.map((n) => n.text)).toEqual(['x1', 'x2']);
        expect(notes.get('y')).toEqual([{ runId: 'y', text: 'y0', by: f.userId, at: 2 }]);
        expect(notes.has('none')).toBe(false);
      } finally {
        f.cleanup?.();
      }
    });

    it('holds the blobs of releases that a run names, and only those', async () => {
      const f = await make();
      try {
        const all = [...f.releases.a.blobs, ...f.releases.b.blobs, ...f.releases.other.blobs, 'e'.repeat(64)];
        expect(await f.repo.heldByRuns(all)).toEqual([]);
        await f.repo.insert(run(f, 'r', 1, f.releases.a.id));
        expect((await f.repo.heldByRuns(all)).sort()).toEqual([...new Set(f.releases.a.blobs)].sort());
      } finally {
        f.cleanup?.();
      }
    });
  });
}
