// Built-in stage `export`: the project's live annotations in COCO, YOLO or Pascal VOC (the landed
// converters), each file stored as a blob; the output lists them with their SHA-256.
import { z } from 'zod';
import { defineStage } from '../../../shared/stage.ts';
import { EXPORT_FORMATS, projectDataset, writeFormat } from './project-dataset.ts';

export default defineStage({
  name: 'export',
  version: 1,
  description: 'Writes the project’s annotations as COCO, YOLO or Pascal VOC files (blobs)',
  cache: false,
  params: z.object({ format: z.enum(EXPORT_FORMATS).default('coco') }).strict(),
  input: z.unknown(),
  output: z.object({
    format: z.enum(EXPORT_FORMATS),
    files: z.array(z.object({ name: z.string(), sha256: z.string(), bytes: z.number() })),
    warnings: z.array(z.string()),
  }),
  async work(_input, ctx) {
    const written = writeFormat(await projectDataset(ctx), ctx.params.format);
    const files = [];
    for (const [name, text] of [...written.files].sort(([a], [b]) => a.localeCompare(b))) {
      const bytes = new TextEncoder().encode(text);
      files.push({ name, sha256: await ctx.blobs.put(bytes), bytes: bytes.byteLength });
    }
    for (const w of written.warnings) ctx.log.warn(w);
    ctx.log.info(`${files.length} ${ctx.params.format} files`);
    return { format: ctx.params.format, files, warnings: written.warnings };
  },
});
