// Import into a project: parse an annotation file set (COCO, YOLO, VOC, Label Studio), upload the
// images that came with it, match annotations to the project's images by file name, create the label
// classes the annotations use (import-classes.ts: REST name rules, managers only), and fill each image's `ann:` document. Parsing and image checks happen before any
// write, so a rejected input imports nothing.
import { AppError, type Result } from '../../shared/errors.ts';
import { addShape, readShapes, setTags } from '../../shared/doc/index.ts';
import { baseName, describeFormatError, imageAnnotationsByName, type Dataset, type FormatError } from '../../shared/formats/index.ts';
import { IMPORT_FORMATS, parseAnnotationSet, type AnnotationSetOptions, type ImportFormat } from '../../shared/annotation-set.ts';
import { docName, type ImageId, type ProjectId, type UserId } from '../../shared/ids.ts';
import type { ImportReport } from '../../shared/api/images.ts';
import { sniffMime, probeImage } from '../images/probe.ts';
import { audit } from './audit.ts';
import { applyClassPlan, planClasses } from './import-classes.ts';
import type { ServiceDeps } from './deps.ts';
import { recordEdit } from './review.ts';
import { recordImages, stageImage, type StagedImage, type UploadFile } from './uploads.ts';
import { plural } from '../../shared/plural.ts';

export { IMPORT_FORMATS, type ImportFormat };

export interface ImportInput {
  format: ImportFormat;
  /** Images and annotation files; names may carry folders (`labels/a.txt`). */
  files: UploadFile[];
  /** Images of the upload already streamed into the blob store (not yet in the project). */
  staged?: StagedImage[];
  /** Label Studio: import this annotator's work instead of the most recent annotation. */
  annotator?: string;
  /** Whether the importer may create label classes (`classes.manage`); otherwise unknown ones refuse the import. */
  mayCreateClasses?: boolean;
}

export type { ImportReport };

function rejected(e: FormatError): never {
  throw new AppError('validation', describeFormatError(e), e);
}

/** Parses on the calling thread (tests, small inputs); the server's route parses in a worker. */
async function parseHere(format: ImportFormat, files: UploadFile[], options: AnnotationSetOptions) {
  const text = new TextDecoder();
  return parseAnnotationSet(format, files.map((f) => ({ name: f.name, text: text.decode(f.bytes) })), options);
}

export type ParseAnnotations = (format: ImportFormat, files: UploadFile[], options: AnnotationSetOptions) => Promise<Result<Dataset, FormatError>>;

/** Label Studio stores uploads as `<8 hex>-<original name>`; the images carry the original name. */
export const withoutUploadPrefix = (name: string) => name.replace(/^[0-9a-f]{8}-/, '');

/** `parse` parses the annotation files; the route passes one that runs in a worker thread. */
export async function importIntoProject(
  s: ServiceDeps,
  actorId: UserId,
  projectId: ProjectId,
  input: ImportInput,
  parse: ParseAnnotations = parseHere,
): Promise<ImportReport> {
  const imageFiles = input.files.filter((f) => sniffMime(f.bytes) !== null);
  const annotationFiles = input.files.filter((f) => sniffMime(f.bytes) === null);

  // Sizes for YOLO: from the images in this upload, then from images already in the project.
  const sizes = new Map<string, { width: number; height: number }>();
  for (const row of await s.data.images.listAll(projectId)) {
    sizes.set(baseName(row.fileName), { width: row.width, height: row.height });
  }
  const staged = (input.staged ?? []).map((st) => ({ ...st, name: baseName(st.name) }));
  for (const st of staged) sizes.set(st.name, { width: st.info.width, height: st.info.height });
  for (const f of imageFiles) {
    const info = await probeImage(f.bytes, f.name);
    sizes.set(baseName(f.name), { width: info.width, height: info.height });
  }
  const uploadedNames = new Set([...staged.map((st) => st.name), ...imageFiles.map((f) => baseName(f.name))]);
  const parsed = await parse(input.format, annotationFiles, { annotator: input.annotator, sizes, uploaded: uploadedNames });
  if (!parsed.ok) rejected(parsed.error);
  const dataset = parsed.value;
  const byName = imageAnnotationsByName(dataset, annotationFiles[0]?.name ?? 'annotations');
  if (!byName.ok) rejected(byName.error);

  const classPlan = await planClasses(s.data, projectId, dataset, [...byName.value.values()], input.mayCreateClasses ?? false);

  // Everything parsed and checked: now write. Images first (content-addressed; existing ones are reused).
  for (const f of imageFiles) staged.push(await stageImage(s, { name: baseName(f.name), bytes: f.bytes }));
  const uploaded = staged.length ? (await recordImages(s, actorId, projectId, staged)).items : [];
  const projectImages = new Map<string, { id: ImageId; width: number; height: number }>();
  for (const row of await s.data.images.listAll(projectId)) {
    projectImages.set(baseName(row.fileName), row);
  }
  // By the name each file came with in this upload: identical bytes already in the project under
  // another name are the same image.
  uploaded.forEach((u, i) => projectImages.set(staged[i].name, u));

  const classIds = await applyClassPlan(s, actorId, projectId, classPlan);
  const classesCreated = classIds.created;

  const report: ImportReport = {
    format: input.format,
    images: { uploaded: uploaded.filter((u) => u.created).length, existing: uploaded.filter((u) => !u.created).length },
    annotated: [],
    skipped: [],
    classesCreated,
    shapes: 0,
  };
  for (const [fileName, ann] of byName.value) {
    if (ann.shapes.length === 0 && ann.tags.length === 0) continue;
    const image = projectImages.get(fileName) ?? projectImages.get(withoutUploadPrefix(fileName));
    if (!image) {
      report.skipped.push({ fileName, reason: 'no image with this file name in the upload or the project' });
      continue;
    }
    const imageId = image.id;
    // Coordinates only fit the image they were drawn on: a size mismatch (often EXIF orientation
    // handled differently by the other tool) would put every shape in the wrong place.
    if (ann.width > 0 && ann.height > 0 && (ann.width !== image.width || ann.height !== image.height)) {
      const swapped = ann.width === image.height && ann.height === image.width;
      report.skipped.push({
        fileName,
        reason: `the annotations are for a ${ann.width}×${ann.height} image but this image is ${image.width}×${image.height}${swapped ? ' (turned a quarter: EXIF orientation?)' : ''}`,
      });
      continue;
    }
    const name = docName('ann', imageId);
    const held = await s.docs.read(name);
    const present = readShapes(held).shapes.length;
    held.destroy();
    if (present > 0) {
      report.skipped.push({ fileName, reason: `already has ${plural(present, 'shape')}; not imported again` });
      continue;
    }
    await s.docs.change(name, actorId, (doc) => {
      doc.transact(() => {
        for (const s of ann.shapes) addShape(doc, { kind: s.kind, label: classIds.ids.get(s.label)!, points: s.points, attrs: s.attrs }, { author: actorId, origin: 'import' });
        if (ann.tags.length) setTags(doc, ann.tags.map((t) => classIds.ids.get(t)!), { origin: 'import' });
      }, 'import');
    });
    report.annotated.push({ fileName, imageId, shapes: ann.shapes.length, tags: ann.tags.length });
    report.shapes += ann.shapes.length;
  }
  // An import is an edit: the same review transition as any other (a no-op where the sync
  // server's hook already made it).
  for (const a of report.annotated) await recordEdit(s.data, s.events, docName('ann', a.imageId), actorId);
  await audit(s.data, { actorId, projectId, action: 'import', subject: projectId, details: { ...report, annotated: report.annotated.length } });
  return report;
}

