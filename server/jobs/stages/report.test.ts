// The `report` stage on a small seeded project: class counts, histograms, per-annotator counts
// and images without shapes, from the live documents.
import { afterEach, expect, it } from 'vitest';
import { addShape } from '../../../shared/doc/index.ts';
import { docName, type ImageId } from '../../../shared/ids.ts';
import type { DocWriter } from '../../services/doc-writer.ts';
import type { ServiceDeps } from '../../services/deps.ts';
import type { ProjectId, UserId } from '../../../shared/ids.ts';
import { createClass } from '../../services/classes.ts';
import { seedProject } from '../../testing/fixtures.ts';
import { jobHarness, realResources, type JobHarness } from '../../testing/jobs.ts';
import report from './report.ts';

let h: JobHarness;
afterEach(() => h.close());

it('counts classes, shapes per image, box sizes and aspect ratios, annotators, and images without shapes', async () => {
  let docs!: DocWriter;
  let svc!: ServiceDeps;
  h = jobHarness([report], new URL('./report.ts', import.meta.url).href, { resourcesFor: realResources((d, sv) => ((docs = d), (svc = sv))) });
  const s = seedProject(h.db);
  const car = await createClass(svc, s.users.manager.id as UserId, s.projectId as ProjectId, { name: 'car', color: '#ff0000' });
  const bike = await createClass(svc, s.users.manager.id as UserId, s.projectId as ProjectId, { name: 'bike', color: '#00ff00' });
  const a = s.users.annotator.id;
  const r = s.users.reviewer.id;
  await docs.change(docName('ann', s.images.assigned as ImageId), a, (doc) => {
    addShape(doc, { kind: 'box', label: car.id, points: [0, 0, 10, 10] }, { author: a }); // size 10, ratio 1
    addShape(doc, { kind: 'box', label: car.id, points: [0, 0, 100, 25] }, { author: a }); // size 50, ratio 4
    addShape(doc, { kind: 'polygon', label: bike.id, points: [0, 0, 10, 0, 10, 10] }, { author: r });
  });
  await docs.change(docName('ann', s.images.other as ImageId), r, (doc) => {
    addShape(doc, { kind: 'point', label: 'no-such-class', points: [5, 5] }, { author: r });
  });
  const { job } = await h.queue.enqueue({ stage: 'report', projectId: s.projectId, createdBy: s.users.engineer.id });
  h.runner.wake();
  const done = await h.settled(job.id);
  expect(done.state, JSON.stringify(done.errors)).toBe('succeeded');
  const out = done.result as any;
  expect(out).toMatchObject({ images: 3, shapes: 4, unknownLabels: 1, imagesWithoutShapes: { count: 1, examples: ['free.png'] } });
  expect(out.classes).toEqual([
    { id: car.id, name: 'car', shapes: 2, images: 1 },
    { id: bike.id, name: 'bike', shapes: 1, images: 1 },
  ]);
  expect(out.annotators).toEqual([
    { userId: a, username: s.users.annotator.username, shapes: 2 },
    { userId: r, username: s.users.reviewer.username, shapes: 2 },
  ]);
  const count = (hist: { labels: string[]; counts: number[] }, label: string) => hist.counts[hist.labels.indexOf(label)];
  expect(count(out.shapesPerImage, '0')).toBe(1);
  expect(count(out.shapesPerImage, '1')).toBe(1);
  expect(count(out.shapesPerImage, '3–4')).toBe(1);
  expect(count(out.boxSize, '8–16')).toBe(1);
  expect(count(out.boxSize, '32–64')).toBe(1);
  expect(count(out.aspectRatio, '1–1.33')).toBe(1);
  expect(count(out.aspectRatio, '≥ 4')).toBe(1);
});
