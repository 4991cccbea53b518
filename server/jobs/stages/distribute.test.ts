// The `distribute` stage: unassigned images in batches to the annotators with the least open work.
import { afterEach, expect, it } from 'vitest';
import { newId, sha256Hex } from '../../services/ids.ts';
import { blobs, images } from '../../adapters/sqlite/schema.ts';
import { seedProject } from '../../testing/fixtures.ts';
import { jobHarness, realResources, type JobHarness } from '../../testing/jobs.ts';
import distribute from './distribute.ts';

let h: JobHarness;
afterEach(() => h.close());

it('gives batches of unassigned images to the least-loaded annotator, as the job’s user', async () => {
  h = jobHarness([distribute], new URL('./distribute.ts', import.meta.url).href, { resourcesFor: realResources() });
  const s = seedProject(h.db); // annotator has 1 open image, annotator2 has 1, one image is free
  const t = Date.now();
  for (let i = 0; i < 9; i++) {
    const sha = sha256Hex(`extra-${i}`);
    h.db.insert(blobs).values({ sha256: sha, size: 1, mime: 'image/png', createdAt: t }).run();
    h.db.insert(images).values({ id: newId(), projectId: s.projectId, sha256: sha, fileName: `x${i}.png`, mime: 'image/png', width: 10, height: 10, createdAt: t, createdBy: s.users.manager.id }).run();
  }
  const { job } = await h.queue.enqueue({ stage: 'distribute', params: { batchSize: 4 }, projectId: s.projectId, createdBy: s.users.manager.id });
  h.runner.wake();
  const done = await h.settled(job.id);
  expect(done.state, JSON.stringify(done.errors)).toBe('succeeded');
  const a = s.users.annotator.username;
  const b = s.users.annotator2.username;
  // 10 free images in batches of 4, 4, 2; both start at 1 open image: a (name order), then b, then a again (5 vs 5 → a).
  expect(done.result).toEqual({ assigned: 10, batches: [{ username: a, images: 4 }, { username: b, images: 4 }, { username: [a, b].sort()[0], images: 2 }], workload: expect.any(Object) });
  const rows = h.db.select({ assignee: images.assigneeId, status: images.status }).from(images).all();
  expect(rows.filter((r) => r.assignee === null)).toEqual([]);
  expect(rows.filter((r) => r.assignee === s.users.annotator.id).length + rows.filter((r) => r.assignee === s.users.annotator2.id).length).toBe(12);
  const audit = h.db.$client.prepare("select actor_id from audit_log where action = 'image.assign'").pluck().all();
  expect(new Set(audit)).toEqual(new Set([s.users.manager.id]));
  const bad = await h.queue.enqueue({ stage: 'distribute', params: { annotators: ['nobody'] }, projectId: s.projectId, createdBy: s.users.manager.id });
  h.runner.wake();
  expect((await h.settled(bad.job.id)).errors).toMatchObject([{ code: 'params', message: 'distribute: with.annotators: nobody is no annotator of the project' }]);
});
