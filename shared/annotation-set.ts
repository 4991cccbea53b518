// Parses the annotation files of one import (COCO, YOLO, VOC or Label Studio) into a Dataset.
// Pure: the caller reads the files and supplies image sizes (YOLO needs them); the XML or YAML
// parser a format needs is loaded at its first parse (parser-libs.ts). Used by the
// server's import and by `tessera import` to reject bad input before uploading anything.
import { err, ok, type Result } from './errors.ts';
import {
  baseName,
  mergeDatasets,
  parseCoco,
  parseLabelStudio,
  parseVoc,
  parseYolo,
  stem,
  type Dataset,
  type FormatError,
} from './formats/index.ts';
import { loadXml, loadYaml } from './parser-libs.ts';

export const IMPORT_FORMATS = ['coco', 'yolo', 'voc', 'labelstudio'] as const;
export type ImportFormat = (typeof IMPORT_FORMATS)[number];

export interface TextFile {
  /** May carry folders: `labels/a.txt`. */
  name: string;
  text: string;
}

export interface AnnotationSetOptions {
  /** Label Studio: this annotator's work instead of the most recent annotation. */
  annotator?: string;
  /** Display sizes of the images, by base file name (YOLO values are fractions of them). */
  sizes: ReadonlyMap<string, { width: number; height: number }>;
  /**
   * YOLO: base names of the images that came with this import. They are part of the dataset even
   * without a label file (background images); other known images only when a label file names them.
   */
  uploaded?: ReadonlySet<string>;
}

/** Whether a file belongs to the annotation set of a format (as opposed to an image or a stray file). */
export function isAnnotationFile(format: ImportFormat, name: string): boolean {
  const n = name.toLowerCase();
  if (format === 'coco' || format === 'labelstudio') return n.endsWith('.json');
  if (format === 'voc') return n.endsWith('.xml');
  return n.endsWith('.txt') || /(^|\/)data\.ya?ml$/.test(n);
}

const problem = (file: string, message: string): Result<never, FormatError> => err({ file, position: '', message });

export async function parseAnnotationSet(format: ImportFormat, files: TextFile[], options: AnnotationSetOptions): Promise<Result<Dataset, FormatError>> {
  const mine = files.filter((f) => isAnnotationFile(format, f.name));
  switch (format) {
    case 'coco':
    case 'labelstudio': {
      if (mine.length === 0) return problem('(upload)', 'no .json annotation file');
      if (mine.length > 1) return problem(mine[1].name, `expected one .json annotation file, got ${mine.length}: ${mine.map((f) => f.name).join(', ')}`);
      const [f] = mine;
      return format === 'coco' ? parseCoco(f.text, f.name) : parseLabelStudio(f.text, f.name, { annotator: options.annotator });
    }
    case 'voc': {
      if (mine.length === 0) return problem('(upload)', 'no .xml annotation file');
      const xml = await loadXml();
      const parts: Dataset[] = [];
      for (const f of mine) {
        const r = parseVoc(f.text, f.name, xml);
        if (!r.ok) return r;
        parts.push(r.value);
      }
      return ok(mergeDatasets(parts));
    }
    case 'yolo': {
      const classes = mine.find((f) => baseName(f.name) === 'classes.txt');
      const yaml = mine.find((f) => /^data\.ya?ml$/.test(baseName(f.name)));
      if (!classes && !yaml) return problem('(upload)', 'a YOLO import needs classes.txt or data.yaml');
      const labelFiles = new Map<string, string>();
      const labelFileNames = new Map<string, string>();
      for (const f of mine) {
        if (f === classes || f === yaml || !f.name.toLowerCase().endsWith('.txt')) continue;
        const key = stem(f.name);
        const other = labelFileNames.get(key);
        // Images are matched by name, so two label files for one image name cannot both be right.
        if (other) return problem(f.name, `same image name "${key}" as ${other}; import one split at a time`);
        labelFileNames.set(key, f.name);
        labelFiles.set(key, f.text);
      }
      const images = [...options.sizes]
        .filter(([fileName]) => labelFiles.has(stem(fileName)) || options.uploaded?.has(fileName))
        .map(([fileName, s]) => ({ fileName, key: stem(fileName), width: s.width, height: s.height }));
      return parseYolo(
        {
          classesText: classes?.text,
          dataYamlText: classes ? undefined : yaml?.text,
          classesFile: classes?.name ?? yaml?.name,
          labelFiles,
          images,
        },
        await loadYaml(),
      );
    }
  }
}
