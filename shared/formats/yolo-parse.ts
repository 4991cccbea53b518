// YOLO → Dataset: class list from classes.txt or data.yaml, detection lines `cls cx cy w h` and
// segmentation lines `cls x1 y1 …`, normalised by the displayed image size.
import { ok } from '../errors.ts';
import type { YamlLib } from '../parser-libs.ts';
import { formatError, stem, type Category, type Dataset, type DatasetImage, type FormatResult, type Shape } from './model.ts';
import { parseDataYaml, YOLO_SPLITS, type YoloSplit } from './yolo-yaml.ts';

export interface YoloImage {
  /** Matches a label file: its path under labels/ without `.txt` (defaults to the image stem). */
  key?: string;
  fileName: string;
  /** Size after EXIF orientation: YOLO values are fractions of what the viewer shows. */
  width: number;
  height: number;
}

export interface YoloInput {
  /** One class name a line; the line index is the class id. */
  classesText?: string;
  /** Ultralytics data.yaml with `names` as a list or a map `{0: a, 1: b}`. */
  dataYamlText?: string;
  /** Name for errors in the class list (default `classes.txt` or `data.yaml`). */
  classesFile?: string;
  /** Label file text by key (path under labels/ without `.txt`). */
  labelFiles: Map<string, string>;
  images: YoloImage[];
  /** Folder shown in error file names (default `labels/`). */
  labelsDir?: string;
}

/** The class names from classes.txt or data.yaml; `yaml` is the yaml library (loadYaml()), read only for data.yaml. */
export function parseYoloClasses(input: Pick<YoloInput, 'classesText' | 'dataYamlText' | 'classesFile'>, yaml: YamlLib): FormatResult<string[]> {
  if (input.dataYamlText !== undefined) return parseDataYaml(input.dataYamlText, input.classesFile ?? 'data.yaml', yaml);
  const file = input.classesFile ?? 'classes.txt';
  if (input.classesText === undefined) return formatError(file, '', 'no class list: give classes.txt or data.yaml');
  const lines = input.classesText.split(/\r?\n/);
  while (lines.length && lines[lines.length - 1].trim() === '') lines.pop();
  const names: string[] = [];
  const lineOf = new Map<string, number>();
  for (let i = 0; i < lines.length; i++) {
    const name = lines[i].trim();
    if (name === '') return formatError(file, `line ${i + 1}`, 'empty class name (line order is the class id)');
    const first = lineOf.get(name);
    if (first !== undefined) return formatError(file, `line ${i + 1}`, `duplicate class name "${name}" (first on line ${first})`);
    lineOf.set(name, i + 1);
    names.push(name);
  }
  return ok(names);
}

/** Parses a YOLO dataset. A label file with no matching image, or any bad line, rejects it all. */
export function parseYolo(input: YoloInput, yaml: YamlLib): FormatResult<Dataset> {
  const names = parseYoloClasses(input, yaml);
  if (!names.ok) return names;
  const labelsDir = input.labelsDir ?? 'labels/';
  const byKey = new Map<string, DatasetImage>();
  const images: DatasetImage[] = [];
  for (const im of input.images) {
    const image: DatasetImage = { fileName: im.fileName, width: im.width, height: im.height, shapes: [] };
    const key = im.key ?? stem(im.fileName);
    const split = splitOf(key);
    if (split) image.split = split;
    byKey.set(key, image);
    images.push(image);
  }
  for (const [key, text] of input.labelFiles) {
    const file = `${labelsDir}${key}.txt`;
    const image = byKey.get(key);
    if (!image) return formatError(file, '', 'no image with this name: YOLO values need the image size');
    const shapes = parseLabelFile(text, file, names.value, image.width, image.height);
    if (!shapes.ok) return shapes;
    image.shapes = shapes.value;
  }
  const categories: Category[] = names.value.map((name) => ({ name }));
  return ok({ categories, images });
}

/**
 * The split of an image under `images/<split>/` (Ultralytics' layout): `train`, `val` (or
 * Roboflow's `valid`) or `test`, from the first folder of its key.
 */
function splitOf(key: string): YoloSplit | undefined {
  const slash = key.indexOf('/');
  if (slash < 0) return undefined;
  const top = key.slice(0, slash).toLowerCase();
  if (top === 'valid') return 'val';
  return (YOLO_SPLITS as readonly string[]).includes(top) ? (top as YoloSplit) : undefined;
}

/** Parses one label file against the class list and the image's displayed size. */
export function parseLabelFile(text: string, file: string, names: string[], width: number, height: number): FormatResult<Shape[]> {
  const shapes: Shape[] = [];
  const lines = text.split('\n');
  for (let n = 0; n < lines.length; n++) {
    const line = lines[n].trim();
    if (line === '') continue;
    const at = `line ${n + 1}`;
    const t = line.split(/\s+/);
    const cls = Number(t[0]);
    if (!/^\d+$/.test(t[0]) || cls >= names.length) {
      return formatError(file, at, `class id "${t[0]}" is not one of 0..${names.length - 1}`);
    }
    const count = t.length - 1;
    if (count !== 4 && (count < 6 || count % 2 !== 0)) {
      return formatError(file, at, `expected "cls cx cy w h" or "cls x1 y1 x2 y2 x3 y3 …", got ${count} numbers after the class id`);
    }
    const v = new Array<number>(count);
    for (let k = 0; k < count; k++) {
      const x = Number(t[k + 1]);
      if (t[k + 1] === '' || !Number.isFinite(x)) return formatError(file, `${at}, field ${k + 2}`, `"${t[k + 1]}" is not a number`);
      if (x < 0 || x > 1) return formatError(file, `${at}, field ${k + 2}`, `${t[k + 1]} is outside [0, 1] (values are normalised by the image size)`);
      v[k] = x;
    }
    const label = names[cls];
    if (count === 4) {
      const w = v[2] * width;
      const h = v[3] * height;
      shapes.push({ kind: 'box', label, points: [v[0] * width - w / 2, v[1] * height - h / 2, w, h], attrs: {} });
    } else {
      for (let k = 0; k < count; k += 2) {
        v[k] *= width;
        v[k + 1] *= height;
      }
      shapes.push({ kind: 'polygon', label, points: v, attrs: {} });
    }
  }
  return ok(shapes);
}
