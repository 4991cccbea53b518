// Built-in stage `validate`: finds shapes out of bounds, of zero area, with unknown labels, and
// duplicates (same label, IoU ≥ `iou`), and duplicate images; with `fix: true` clips and drops
// through the live sync core, as the job's user, and reports what it changed. Runs in the server.
import { z } from 'zod';
import { checkImage, duplicateImages, PROBLEM, type Problem } from '../../../shared/eda/validate.ts';
import { defineStage } from '../../../shared/stage.ts';

const Problem = z.object({ kind: z.enum(Object.values(PROBLEM) as [string, ...string[]]), imageId: z.string(), fileName: z.string(), shapeId: z.string().optional(), detail: z.string() });

export default defineStage({
  name: 'validate',
  version: 1,
  description: 'Checks annotations (bounds, area, labels, duplicates); fix: true clips and drops',
  cache: false,
  runsIn: 'server',
  params: z.object({ fix: z.boolean().default(false), iou: z.number().min(0).max(1).default(0.95) }).strict(),
  input: z.unknown(),
  output: z.object({
    images: z.number(),
    shapes: z.number(),
    counts: z.record(z.string(), z.number()),
    problems: z.array(Problem),
    fixed: z.object({ images: z.number(), clipped: z.number(), dropped: z.number() }),
  }),
  async work(_input, ctx) {
    const projectId = ctx.job.projectId!;
    const [images, classes] = await Promise.all([ctx.services.images(projectId), ctx.services.classes(projectId)]);
    const classIds = new Set(classes.map((c) => c.id));
    const problems: Problem[] = duplicateImages(images);
    const fixed = { images: 0, clipped: 0, dropped: 0 };
    let shapes = 0;
    for (const [i, img] of images.entries()) {
      ctx.signal.throwIfAborted();
      const { shapes: list } = await ctx.services.annotations(img.id);
      shapes += list.length;
      const r = checkImage({ ...img, shapes: list }, classIds, ctx.params.iou);
      problems.push(...r.problems);
      const moves = Object.keys(r.fixes.move).length;
      if (ctx.params.fix && (moves || r.fixes.remove.length)) {
        if (await ctx.services.editAnnotations(img.id, r.fixes)) {
          fixed.images++;
          fixed.clipped += moves;
          fixed.dropped += r.fixes.remove.length;
          ctx.log.info(`${img.fileName}: clipped ${moves}, dropped ${r.fixes.remove.length}`);
        }
      }
      if (i % 50 === 0) ctx.progress(i / images.length, `${i} of ${images.length} images`);
    }
    const counts: Record<string, number> = Object.fromEntries(Object.values(PROBLEM).map((k) => [k, 0]));
    for (const p of problems) counts[p.kind]++;
    ctx.log.info(`${problems.length} problems in ${images.length} images`);
    return { images: images.length, shapes, counts, problems: problems.slice(0, 5_000), fixed };
  },
});
