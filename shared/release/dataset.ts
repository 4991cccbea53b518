// From a manifest to the formats' canonical dataset, and the file layout a pull or an export
// writes (DESIGN.md "File layouts"): annotations by format, images under images/ (YOLO:
// images/<split>/ beside labels/<split>/, the layout Ultralytics reads), manifest.json.
import { ok } from '../errors.ts';
import { baseName, writeCoco, writeVoc, writeYolo, type Dataset, type FormatOutput, type FormatResult } from '../formats/index.ts';
import type { Manifest, ManifestImage } from './manifest.ts';
import { EXPORT_FORMATS, type ExportFormat } from './export-formats.ts';
export { EXPORT_FORMATS, isExportFormat, type ExportFormat } from './export-formats.ts';

export const MANIFEST_FILE = 'manifest.json';

/** The manifest as a dataset: labels are class names, in the manifest's class order. */
export function manifestToDataset(m: Manifest): Dataset {
  const name = new Map(m.categories.map((c) => [c.id, c.name]));
  const nameOf = (id: string) => name.get(id) ?? id;
  return {
    categories: m.categories.map((c) => ({ name: c.name })),
    images: m.images.map((im) => ({
      fileName: baseName(im.fileName),
      width: im.width,
      height: im.height,
      split: im.split,
      shapes: im.shapes.map((s) => ({ kind: s.kind, label: nameOf(s.label), points: s.points.slice(), attrs: { ...s.attrs } })),
      tags: im.tags.map(nameOf),
    })),
  };
}

/** Where an image goes in an output tree of `format`. */
export const imagePath = (format: ExportFormat, im: Pick<ManifestImage, 'fileName' | 'split'>): string =>
  format === 'yolo' ? `images/${im.split}/${baseName(im.fileName)}` : `images/${baseName(im.fileName)}`;

/** The annotation files of `format` for the manifest (derived from it alone). */
export function exportAnnotations(m: Manifest, format: ExportFormat): FormatResult<FormatOutput> {
  const d = manifestToDataset(m);
  if (format === 'coco') return ok(writeCoco(d));
  return format === 'yolo' ? writeYolo(d) : writeVoc(d);
}

/** Two images of a manifest that would land on one output path (same base name). */
export function clashingImagePaths(m: Manifest, format: ExportFormat): [string, string] | null {
  const seen = new Map<string, string>();
  for (const im of m.images) {
    const p = imagePath(format, im);
    const prev = seen.get(p);
    if (prev !== undefined) return [prev, im.fileName];
    seen.set(p, im.fileName);
  }
  return null;
}
