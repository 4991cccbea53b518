// The ReleaseRepo contract (server/ports/releases.contract.ts) against both adapters: SQLite over a
// temp database with two real projects, and the in-memory one.
import type { ProjectId, UserId } from '../../shared/ids.ts';
import { releaseRepoContract } from '../ports/releases.contract.ts';
import { seedProject, tempDb } from '../testing/fixtures.ts';
import { memoryReleases } from './memory/releases.ts';
import { gated } from './serial.ts';
import { serialOf } from './sqlite/open.ts';
import { sqliteReleases } from './sqlite/releases.ts';
import { projects } from './sqlite/schema.ts';

releaseRepoContract('sqlite', async () => {
  const t = tempDb();
  const seeded = seedProject(t.db);
  const otherProjectId = 'other-project' as ProjectId;
  t.db.insert(projects).values({ id: otherProjectId, name: 'other', createdAt: 1, createdBy: seeded.users.manager.id } as typeof projects.$inferInsert).run();
  return { repo: gated(serialOf(t.db), sqliteReleases(t.db)), projectId: seeded.projectId, otherProjectId, userId: seeded.users.manager.id, cleanup: t.cleanup };
});

releaseRepoContract('memory', async () => ({ repo: memoryReleases(), projectId: 'p1' as ProjectId, otherProjectId: 'p2' as ProjectId, userId: 'u1' as UserId }));
