// File I/O around the pure converters in shared/formats: reads a COCO, YOLO, VOC or Label Studio
// input from disk (image sizes from image headers), and writes a converter's output into OUTDIR
// all or nothing (a temp folder beside it, then renames).
import { open, readdir, readFile, mkdir, mkdtemp, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { err, ok } from '../shared/errors.ts';
import {
  mergeDatasets,
  parseCoco,
  parseLabelStudio,
  loadXml,
  loadYaml,
  parseVoc,
  parseYolo,
  writeCoco,
  writeVoc,
  writeYolo,
  type Dataset,
  type YoloWriteOptions,
  type FormatOutput,
  type FormatResult,
  type YoloImage,
} from '../shared/formats/index.ts';
import { readImageHeader } from '../shared/image-header.ts';
import { progress, type Progress } from './progress.ts';

export const INPUT_FORMATS = ['coco', 'yolo', 'voc', 'labelstudio'] as const;
export const OUTPUT_FORMATS = ['coco', 'yolo', 'voc'] as const;
export type InputFormat = (typeof INPUT_FORMATS)[number];
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

const IMAGE_EXTS = new Set(['.jpg', '.jpeg', '.png', '.webp']);
const OTHER_IMAGE_EXTS = new Set(['.bmp', '.gif', '.tif', '.tiff', '.heic', '.avif']);
const HEADER_BYTES = 64 * 1024;
const CONCURRENCY = 16;
/** Below this many files a step is quick and shows no progress. */
const PROGRESS_FROM = 100;

/** A counter over `total` steps on stderr (see progress.ts), silent for small totals. */
function counter(label: string, total: number): { step(): void; finish(): void } {
  const bar: Progress | undefined = total >= PROGRESS_FROM ? progress(label, total) : undefined;
  let n = 0;
  return { step: () => bar?.tick(++n), finish: () => bar?.done() };
}

const fail = (file: string, message: string, position = ''): FormatResult<never> => err({ file, position, message });

export interface ReadOptions {
  annotator?: string;
}

export async function readDataset(from: InputFormat, input: string, options: ReadOptions = {}): Promise<FormatResult<Dataset>> {
  const info = await stat(input).catch(() => undefined);
  if (!info) return fail(input, 'no such file or folder');
  switch (from) {
    case 'coco':
    case 'labelstudio': {
      if (!info.isFile()) return fail(input, `expected a ${from === 'coco' ? 'COCO' : 'Label Studio'} JSON file, got a folder`);
      const text = await readFile(input, 'utf8');
      return from === 'coco' ? parseCoco(text, input) : parseLabelStudio(text, input, options);
    }
    case 'voc':
      return readVoc(input, info.isDirectory());
    case 'yolo':
      if (!info.isDirectory()) return fail(input, 'expected a YOLO folder with classes.txt (or data.yaml), labels/ and images/');
      return readYolo(input);
  }
}

async function readVoc(input: string, isDir: boolean): Promise<FormatResult<Dataset>> {
  let files = [input];
  if (isDir) {
    const annotations = path.join(input, 'Annotations');
    const root = (await isDirectory(annotations)) ? annotations : input;
    files = (await listFiles(root)).filter((f) => f.toLowerCase().endsWith('.xml')).map((f) => path.join(root, f));
    if (files.length === 0) return fail(input, 'no .xml files in this folder');
  }
  const bar = counter('reading VOC files', files.length);
  const xml = await loadXml();
  const parts: Dataset[] = [];
  for (const file of files) {
    const r = parseVoc(await readFile(file, 'utf8'), file, xml);
    if (!r.ok) return r;
    parts.push(r.value);
    bar.step();
  }
  bar.finish();
  return ok(mergeDatasets(parts));
}

async function readYolo(dir: string): Promise<FormatResult<Dataset>> {
  const classesFile = path.join(dir, 'classes.txt');
  const yamlFile = path.join(dir, 'data.yaml');
  const hasClasses = await isFile(classesFile);
  const hasYaml = !hasClasses && (await isFile(yamlFile));
  if (!hasClasses && !hasYaml) return fail(dir, 'no classes.txt or data.yaml: YOLO class ids need the class list');
  const classes = hasClasses
    ? { classesText: await readFile(classesFile, 'utf8'), classesFile }
    : { dataYamlText: await readFile(yamlFile, 'utf8'), classesFile: yamlFile };

  const labelsDir = path.join(dir, 'labels');
  const imagesDir = path.join(dir, 'images');
  const labelNames = (await isDirectory(labelsDir)) ? (await listFiles(labelsDir)).filter((f) => f.endsWith('.txt') && f !== 'classes.txt') : [];
  if (!(await isDirectory(imagesDir))) return fail(imagesDir, 'missing: YOLO values are fractions of the image size, read from the images');
  const imageNames = await listFiles(imagesDir);

  const readable = imageNames.filter((f) => IMAGE_EXTS.has(path.extname(f).toLowerCase()));
  const other = imageNames.filter((f) => OTHER_IMAGE_EXTS.has(path.extname(f).toLowerCase()));
  const labelKeys = new Set(labelNames.map((f) => f.slice(0, -4)));
  const keyOf = (f: string) => f.slice(0, f.length - path.extname(f).length);
  for (const f of other) {
    if (labelKeys.has(keyOf(f))) return fail(path.join(imagesDir, f), 'cannot read the size of this image type (PNG, JPEG and WebP are read)');
  }

  const bar = counter('reading image sizes', readable.length);
  const images: YoloImage[] = new Array(readable.length);
  let failure: FormatResult<never> | undefined;
  let next = 0;
  const worker = async () => {
    while (next < readable.length && !failure) {
      const i = next++;
      const file = path.join(imagesDir, readable[i]);
      const h = await readHeader(file);
      if (!h.ok) {
        failure ??= fail(file, h.error);
        return;
      }
      images[i] = { key: keyOf(readable[i]), fileName: readable[i], width: h.value.displayWidth, height: h.value.displayHeight };
      bar.step();
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  if (failure) return failure;
  bar.finish();

  const labelFiles = new Map<string, string>();
  const lbar = counter('reading label files', labelNames.length);
  for (const f of labelNames) {
    labelFiles.set(f.slice(0, -4), await readFile(path.join(labelsDir, f), 'utf8'));
    lbar.step();
  }
  lbar.finish();
  return parseYolo({ ...classes, labelFiles, images, labelsDir: `${labelsDir}${path.sep}` }, await loadYaml());
}

/** Size after EXIF orientation from the file's first bytes (the whole file when the header is longer). */
async function readHeader(file: string) {
  const fh = await open(file, 'r');
  try {
    const buf = new Uint8Array(HEADER_BYTES);
    const { bytesRead } = await fh.read(buf, 0, HEADER_BYTES, 0);
    let r = readImageHeader(buf.subarray(0, bytesRead));
    if (!r.ok && r.error.code === 'truncated' && bytesRead === HEADER_BYTES) r = readImageHeader(await readFile(file));
    return r.ok ? ok(r.value) : err(`cannot read the image size: ${r.error.message}`);
  } finally {
    await fh.close();
  }
}

export interface WriteOptions {
  yolo?: YoloWriteOptions;
}

/** Runs the writer for `to`. Its failures (e.g. two images with one stem) are rejections too. */
export function formatDataset(to: OutputFormat, dataset: Dataset, options: WriteOptions = {}): FormatResult<FormatOutput> {
  if (to === 'coco') return ok(writeCoco(dataset));
  return to === 'yolo' ? writeYolo(dataset, options.yolo) : writeVoc(dataset);
}

/**
 * Writes `files` (relative path → text) into `outDir` all or nothing: everything goes to a temp
 * folder beside it first, then its top-level entries are renamed into place. Existing entries
 * of the same name are refused unless `replace` is set.
 */
export async function writeOutput(outDir: string, files: Map<string, string>, replace = false): Promise<void> {
  const top = new Set([...files.keys()].map((f) => f.split('/')[0]));
  const exists = await isDirectory(outDir);
  if (!exists && (await stat(outDir).catch(() => undefined))) throw new Error(`${outDir}: exists and is not a folder`);
  if (exists && !replace) {
    for (const name of top) {
      if (await stat(path.join(outDir, name)).catch(() => undefined)) {
        throw new Error(`${path.join(outDir, name)} already exists; remove it or pass --force to replace it`);
      }
    }
  }
  const parent = path.dirname(path.resolve(outDir));
  await mkdir(parent, { recursive: true });
  const tmp = await mkdtemp(path.join(parent, `.${path.basename(outDir)}.tmp-`));
  try {
    const bar = counter('writing files', files.size);
    const made = new Set<string>();
    for (const [rel, text] of files) {
      const target = path.join(tmp, ...rel.split('/'));
      const dir = path.dirname(target);
      if (!made.has(dir)) {
        await mkdir(dir, { recursive: true });
        made.add(dir);
      }
      await writeFile(target, text);
      bar.step();
    }
    bar.finish();
    if (!exists) {
      await rename(tmp, outDir);
      return;
    }
    for (const name of top) {
      const dest = path.join(outDir, name);
      if (replace) await rm(dest, { recursive: true, force: true });
      await rename(path.join(tmp, name), dest);
    }
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}

/** Files under `root`, recursively, as `/`-separated paths relative to it, sorted. */
async function listFiles(root: string): Promise<string[]> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile())
    .map((e) => path.relative(root, path.join(e.parentPath ?? (e as unknown as { path: string }).path, e.name)).split(path.sep).join('/'))
    .filter((f) => !f.split('/').some((p) => p.startsWith('.')))
    .sort();
}

const isDirectory = async (p: string) => (await stat(p).catch(() => undefined))?.isDirectory() === true;
const isFile = async (p: string) => (await stat(p).catch(() => undefined))?.isFile() === true;
