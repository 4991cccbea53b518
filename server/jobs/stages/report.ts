// Built-in stage `report`: exploratory statistics of the project's live annotations (class counts,
// shapes per image, box size and aspect-ratio histograms, per-annotator counts, images without
// shapes), stored as JSON for the Pipelines page's charts.
import { z } from 'zod';
import { edaReport, ReportSchema, type ReportImage } from '../../../shared/eda/report.ts';
import { defineStage } from '../../../shared/stage.ts';

export default defineStage({
  name: 'report',
  version: 1,
  description: 'EDA report of the project’s annotations',
  // It reads live data, so an earlier output is never reused.
  cache: false,
  input: z.unknown(),
  output: ReportSchema,
  async work(_input, ctx) {
    const projectId = ctx.job.projectId!;
    const [images, classes, members] = await Promise.all([ctx.services.images(projectId), ctx.services.classes(projectId), ctx.services.members(projectId)]);
    const read: ReportImage[] = [];
    for (const [i, img] of images.entries()) {
      ctx.signal.throwIfAborted();
      const a = await ctx.services.annotations(img.id);
      read.push({ fileName: img.fileName, shapes: a.shapes, tags: a.tags });
      if (i % 50 === 0) ctx.progress(i / images.length, `${i} of ${images.length} images`);
    }
    const report = edaReport(read, classes, members);
    ctx.log.info(`${report.images} images, ${report.shapes} shapes, ${report.classes.length} classes`);
    return report;
  },
});
