// The `validate` stage on a small seeded project: each kind of problem found; with fix: true the
// out-of-bounds box is clipped and the zero-area and duplicate shapes are dropped, as the job's user.
import { afterEach, expect, it } from 'vitest';
import { addShape, readShapes } from '../../../shared/doc/index.ts';
import { docName, type ImageId } from '../../../shared/ids.ts';
import type { DocWriter } from '../../services/doc-writer.ts';
import type { ServiceDeps } from '../../services/deps.ts';
import type { ProjectId, UserId } from '../../../shared/ids.ts';
import { createClass } from '../../services/classes.ts';
import { seedProject } from '../../testing/fixtures.ts';
import { jobHarness, realResources, type JobHarness } from '../../testing/jobs.ts';
import validate from './validate.ts';
import { checkImage, iou } from '../../../shared/eda/validate.ts';

let h: JobHarness | null = null;
afterEach(async () => {
  await h?.close();
  h = null;
});

it('iou of boxes', () => {
  expect(iou({ kind: 'box', points: [0, 0, 10, 10] }, { kind: 'box', points: [0, 0, 10, 10] })).toBe(1);
  expect(iou({ kind: 'box', points: [0, 0, 10, 10] }, { kind: 'box', points: [5, 0, 10, 10] })).toBeCloseTo(1 / 3);
  const near = checkImage({ id: 'i', fileName: 'f', width: 100, height: 100, shapes: [
    { id: 'a', kind: 'box', label: 'c', points: [0, 0, 50, 50], attrs: {}, author: null, createdAt: 0, updatedAt: 0 },
    { id: 'b', kind: 'box', label: 'c', points: [1, 0, 50, 50], attrs: {}, author: null, createdAt: 0, updatedAt: 0 }, // IoU 0.96
    { id: 'c', kind: 'box', label: 'd', points: [0, 0, 50, 50], attrs: {}, author: null, createdAt: 0, updatedAt: 0 }, // other label
  ] }, new Set(['c', 'd']), 0.95);
  expect(near.problems.map((p) => `${p.kind}:${p.shapeId}`)).toEqual(['duplicate_shape:b']);
});

it('finds out-of-bounds, zero-area, unknown-label and duplicate shapes, and fixes them through the document writer', async () => {
  let docs!: DocWriter;
  let svc!: ServiceDeps;
  const hh = (h = jobHarness([validate], new URL('./validate.ts', import.meta.url).href, { resourcesFor: realResources((d, sv) => ((docs = d), (svc = sv))) }));
  const s = seedProject(hh.db); // images are 640 × 480
  const car = await createClass(svc, s.users.manager.id as UserId, s.projectId as ProjectId, { name: 'car', color: '#ff0000' });
  const img = s.images.assigned as ImageId;
  await docs.change(docName('ann', img), s.users.annotator.id, (doc) => {
    addShape(doc, { id: 's1-ok', kind: 'box', label: car.id, points: [10, 10, 50, 50] }, { author: s.users.annotator.id });
    addShape(doc, { id: 's2-dup', kind: 'box', label: car.id, points: [10, 10, 50, 50] }, { author: s.users.annotator.id });
    addShape(doc, { id: 's3-out', kind: 'box', label: car.id, points: [600, 400, 100, 100] }, { author: s.users.annotator.id });
    addShape(doc, { id: 's4-flat', kind: 'polygon', label: car.id, points: [0, 0, 10, 10, 20, 20] }, { author: s.users.annotator.id });
    addShape(doc, { id: 's5-label', kind: 'point', label: 'gone', points: [1, 1] }, { author: s.users.annotator.id });
  });
  const run = async (fix: boolean) => {
    const { job } = await hh.queue.enqueue({ stage: 'validate', params: { fix }, projectId: s.projectId, createdBy: s.users.manager.id });
    hh.runner.wake();
    const done = await hh.settled(job.id);
    expect(done.state, JSON.stringify(done.errors)).toBe('succeeded');
    return done.result as any;
  };
  const seen = await run(false);
  expect(seen.problems.map((p: any) => `${p.kind}:${p.shapeId}`).sort()).toEqual(['duplicate_shape:s2-dup', 'out_of_bounds:s3-out', 'unknown_label:s5-label', 'zero_area:s4-flat']);
  expect(seen.fixed).toEqual({ images: 0, clipped: 0, dropped: 0 });
  const fixed = await run(true);
  expect(fixed.fixed).toEqual({ images: 1, clipped: 1, dropped: 2 });
  const doc = await docs.read(docName('ann', img));
  const shapes = readShapes(doc).shapes;
  expect(shapes.map((x) => x.id)).toEqual(['s1-ok', 's3-out', 's5-label']);
  expect(shapes[1].points).toEqual([600, 400, 40, 80]);
  expect(shapes[1].author).toBe(s.users.annotator.id);
  const again = await run(false);
  expect(again.counts).toMatchObject({ out_of_bounds: 0, zero_area: 0, duplicate_shape: 0, unknown_label: 1 });
});
