// Reads a project's live annotations into the canonical dataset model and writes it in a format
// with the landed converters (used by the `export` and `command` stages).
import type { Dataset, FormatOutput } from '../../../shared/formats/index.ts';
import { writeCoco, writeVoc, writeYolo } from '../../../shared/formats/index.ts';
import { StageError, type StageContext } from '../../../shared/stage.ts';

export const EXPORT_FORMATS = ['coco', 'yolo', 'voc'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export async function projectDataset(ctx: StageContext<unknown>): Promise<Dataset> {
  const projectId = ctx.job.projectId!;
  const [images, classes] = await Promise.all([ctx.services.images(projectId), ctx.services.classes(projectId)]);
  const names = new Map(classes.map((c) => [c.id, c.name]));
  const out: Dataset = { categories: classes.map((c) => ({ name: c.name })), images: [] };
  for (const [i, img] of images.entries()) {
    ctx.signal.throwIfAborted();
    const a = await ctx.services.annotations(img.id);
    out.images.push({
      fileName: img.fileName,
      width: img.width,
      height: img.height,
      shapes: a.shapes.filter((s) => names.has(s.label)).map((s) => ({ kind: s.kind, label: names.get(s.label)!, points: s.points, attrs: { ...s.attrs } })),
      tags: a.tags.filter((t) => names.has(t)).map((t) => names.get(t)!),
    });
    if (i % 50 === 0) ctx.progress((i / images.length) * 0.8, `read ${i} of ${images.length} images`);
  }
  return out;
}

export function writeFormat(dataset: Dataset, format: ExportFormat): FormatOutput {
  const r = format === 'coco' ? { ok: true as const, value: writeCoco(dataset) } : format === 'yolo' ? writeYolo(dataset) : writeVoc(dataset);
  if (!r.ok) throw new StageError(`export: ${r.error.file}: ${r.error.position}: ${r.error.message}`, { code: 'format', retryable: false });
  return r.value;
}
