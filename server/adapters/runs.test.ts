// The RunRepo contract against both adapters: SQLite over a temp database with real release
// records (their listed blobs and a cached export inserted through the releases repository), and
// the in-memory one beside a map of what each release holds.
import { gated } from './serial.ts';
import { runRepoContract } from '../ports/runs.contract.ts';
import type { ProjectId, Sha256, UserId } from '../../shared/ids.ts';
import type { ReleaseRecord } from '../ports/releases.ts';
import { seedProject, tempDb } from '../testing/fixtures.ts';
import { memoryRuns } from './memory/runs.ts';
import { serialOf } from './sqlite/open.ts';
import { projects } from './sqlite/schema.ts';
import { sqliteReleases } from './sqlite/releases.ts';
import { sqliteRuns } from './sqlite/runs.ts';

const hex = (c: string) => c.repeat(64) as Sha256;

runRepoContract('sqlite', async () => {
  const t = tempDb();
  const seeded = seedProject(t.db);
  const otherProjectId = 'other-project' as ProjectId;
  t.db.insert(projects).values({ id: otherProjectId, name: 'other', createdAt: 1, createdBy: seeded.users.manager.id } as typeof projects.$inferInsert).run();
  const rel = gated(serialOf(t.db), sqliteReleases(t.db));
  const record = (id: Sha256, projectId: ProjectId, number: number): ReleaseRecord => ({
    id,
    projectId,
    number,
    parentId: null,
    createdAt: number,
    createdBy: seeded.users.manager.id,
    notes: '',
    split: { train: 1, val: 0, test: 0 },
    counts: {} as ReleaseRecord['counts'],
    diff: {} as ReleaseRecord['diff'],
    generatedNotes: [],
    report: { included: 0, unreviewedEdits: 0, noRevision: 0 },
  });
  await rel.insert(record(hex('a'), seeded.projectId, 1), [hex('1'), hex('2')]);
  await rel.putExport({ releaseId: hex('a'), format: 'coco', blob: hex('3'), bytes: 10, createdAt: 1 });
  await rel.insert(record(hex('b'), seeded.projectId, 2), [hex('2'), hex('4')]);
  await rel.insert(record(hex('c'), otherProjectId, 1), [hex('5')]);
  return {
    repo: gated(serialOf(t.db), sqliteRuns(t.db)),
    projectId: seeded.projectId,
    otherProjectId,
    userId: seeded.users.manager.id,
    releases: { a: { id: hex('a'), blobs: [hex('a'), hex('1'), hex('2'), hex('3')] }, b: { id: hex('b'), blobs: [hex('b'), hex('2'), hex('4')] }, other: { id: hex('c'), blobs: [hex('c'), hex('5')] } },
    cleanup: t.cleanup,
  };
});

runRepoContract('memory', async () => {
  const releases = { a: { id: hex('a'), blobs: [hex('a'), hex('1'), hex('2'), hex('3')] }, b: { id: hex('b'), blobs: [hex('b'), hex('2'), hex('4')] }, other: { id: hex('c'), blobs: [hex('c'), hex('5')] } };
  const holds = (id: string) => Object.values(releases).find((r) => r.id === id)?.blobs.slice(1) ?? [];
  return { repo: memoryRuns(holds), projectId: 'p1' as ProjectId, otherProjectId: 'p2' as ProjectId, userId: 'u1' as UserId, releases };
});
