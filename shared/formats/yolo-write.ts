// Dataset → YOLO for one Ultralytics task: `detect` writes one box line per annotation (polygons
// as their bounding boxes), `segment` one polygon line per annotation (boxes as 4-corner
// polygons, multi-part polygons merged into one). Also classes.txt and data.yaml.
import { ok } from '../errors.ts';
import { boundsOf, clamp } from './geometry.ts';
import { ATTR, categoriesInUse, checkUniqueStems, stem, type Dataset, type FormatOutput, type FormatResult } from './model.ts';
import { forEachAnnotation, mergeParts } from './parts.ts';
import { writeDataYaml, YOLO_SPLITS, type YoloSplit } from './yolo-yaml.ts';

/** What an Ultralytics model is trained for: one task per label set. */
export const YOLO_TASKS = { detect: 'detect', segment: 'segment' } as const;
export type YoloTask = (typeof YOLO_TASKS)[keyof typeof YOLO_TASKS];

export interface YoloWriteOptions {
  /** Default `detect`. */
  task?: YoloTask;
}

/** One line on what a YOLO export wrote, for the command line. */
export const describeYoloTask = (task: YoloTask): string =>
  task === 'detect'
    ? 'YOLO detection labels: one box per annotation, polygons as their bounding boxes'
    : 'YOLO segmentation labels: one polygon per annotation, boxes as 4-corner polygons';

/**
 * Writes `classes.txt`, `data.yaml` and a label file for every image (empty without shapes):
 * `labels/<stem>.txt`, or `labels/<split>/<stem>.txt` when the image's split is known (the
 * layout Ultralytics finds from `images/<split>`). One line per annotation: the parts of a
 * multi-part COCO polygon make one box (detect) or one merged polygon (segment), never several
 * objects. Values are clipped to the image. Polylines and points have no YOLO form; crowd regions
 * are skipped, as Ultralytics' own COCO converter skips them (YOLO has no ignore regions, and a
 * crowd written as an object would train the model to draw one box around many). Each loss is
 * counted in a warning.
 */
export function writeYolo(dataset: Dataset, options: YoloWriteOptions = {}): FormatResult<FormatOutput> {
  const task = options.task ?? YOLO_TASKS.detect;
  const stems = checkUniqueStems(dataset, 'label file');
  if (!stems.ok) return stems;
  const cats = categoriesInUse(dataset);
  const classOf = new Map(cats.map((c, i) => [c.name, i]));
  const files = new Map<string, string>();
  files.set('classes.txt', cats.map((c) => `${c.name}\n`).join(''));
  const splits = new Set<YoloSplit>();
  let skipped = 0;
  let outside = 0;
  let crowds = 0;
  let converted = 0;
  let merged = 0;
  let unsplit = 0;
  for (const im of dataset.images) {
    const W = im.width;
    const H = im.height;
    let text = '';
    forEachAnnotation(im.shapes, (s, parts) => {
      if (s.kind !== 'box' && s.kind !== 'polygon') {
        skipped++;
        return;
      }
      if (s.attrs[ATTR.crowd] === 1) {
        crowds++;
        return;
      }
      if (!(W > 0 && H > 0)) {
        outside++;
        return;
      }
      const cls = classOf.get(s.label)!;
      if (task === YOLO_TASKS.segment && s.kind === 'polygon') {
        const p = parts ? mergeParts(parts) : s.points;
        if (parts && parts.length > 1) merged++;
        let line = String(cls);
        for (let k = 0; k + 1 < p.length; k += 2) line += ` ${clamp(p[k] / W, 0, 1)} ${clamp(p[k + 1] / H, 0, 1)}`;
        text += `${line}\n`;
        return;
      }
      const b = s.kind === 'box' ? s.points : boundsOf(parts ?? [s.points]);
      const x1 = clamp(b[0], 0, W);
      const y1 = clamp(b[1], 0, H);
      const x2 = clamp(b[0] + b[2], 0, W);
      const y2 = clamp(b[1] + b[3], 0, H);
      if (!(x2 > x1 && y2 > y1)) {
        outside++;
        return;
      }
      if (s.kind === 'polygon' || task === YOLO_TASKS.segment) converted++;
      if (task === YOLO_TASKS.detect) {
        text += `${cls} ${(x1 + x2) / 2 / W} ${(y1 + y2) / 2 / H} ${(x2 - x1) / W} ${(y2 - y1) / H}\n`;
      } else {
        const [u1, v1, u2, v2] = [x1 / W, y1 / H, x2 / W, y2 / H];
        text += `${cls} ${u1} ${v1} ${u2} ${v1} ${u2} ${v2} ${u1} ${v2}\n`;
      }
    });
    const split = (YOLO_SPLITS as readonly string[]).includes(im.split ?? '') ? (im.split as YoloSplit) : undefined;
    if (split) splits.add(split);
    else if (im.split !== undefined) unsplit++;
    files.set(`labels/${split ? `${split}/` : ''}${stem(im.fileName)}.txt`, text);
  }
  files.set('data.yaml', writeDataYaml(cats.map((c) => c.name), splits));
  const warnings: string[] = [];
  if (converted && task === YOLO_TASKS.detect) warnings.push(`${converted} polygons written as their bounding boxes (detection labels; the segment task keeps polygons)`);
  if (converted && task === YOLO_TASKS.segment) warnings.push(`${converted} boxes written as 4-corner polygons (segmentation labels)`);
  if (merged) warnings.push(`${merged} multi-part polygons merged into one polygon each, the parts joined at their closest points as Ultralytics does`);
  if (skipped) warnings.push(`${skipped} polylines/points skipped: YOLO has no form for them`);
  if (crowds) warnings.push(`${crowds} crowd regions skipped: YOLO has no ignore regions, so a crowd would become a training target`);
  if (outside) warnings.push(`${outside} boxes/polygons skipped: empty once clipped to the image (or the image size is unknown)`);
  if (unsplit) warnings.push(`${unsplit} images with a split other than ${YOLO_SPLITS.join('/')}: written under labels/ and not listed in data.yaml`);
  return ok({ files, warnings });
}
