// Ultralytics data.yaml: the class names read from it (a list or an `{id: name}` map), checked
// for duplicates in linear time, and the data.yaml written beside classes.txt on YOLO export.
import type { YAMLMap } from 'yaml';
import { ok } from '../errors.ts';
import type { YamlLib } from '../parser-libs.ts';
import { lineColumn } from './json.ts';
import { formatError, type FormatResult } from './model.ts';

/**
 * Class names from data.yaml. The YAML library's own unique-key check is quadratic in the size of
 * a map (50,000 names took minutes), so it is off and keys are checked here with a Set, for the
 * top level and for `names`, the two maps whose keys mean something. `yaml` is the yaml library (loadYaml()).
 */
export function parseDataYaml(text: string, file: string, yaml: YamlLib): FormatResult<string[]> {
  const doc = yaml.parseDocument(text, { uniqueKeys: false });
  const problem = doc.errors[0];
  if (problem) {
    const pos = problem.linePos ? `line ${problem.linePos[0].line}, column ${problem.linePos[0].col}` : '';
    return formatError(file, pos, `invalid YAML: ${problem.message.split('\n')[0]}`);
  }
  const top = doc.contents;
  if (yaml.isMap(top)) {
    const dup = duplicateKey(yaml, top, text) ?? duplicateKey(yaml, top.get('names', true), text);
    if (dup) return formatError(file, dup.at, `duplicate key "${dup.key}"`);
  }
  // toJS keeps the library's alias-expansion limit (a YAML "billion laughs" is refused).
  const root = doc.toJS() as unknown;
  const names = (root as { names?: unknown } | null)?.names;
  let list: unknown[];
  if (Array.isArray(names)) list = names;
  else if (names && typeof names === 'object') {
    const entries = Object.entries(names as Record<string, unknown>);
    list = new Array(entries.length);
    for (const [k, v] of entries) {
      const i = Number(k);
      if (!Number.isInteger(i) || i < 0 || i >= entries.length) {
        return formatError(file, `names.${k}`, `class ids must be 0..${entries.length - 1} without gaps`);
      }
      list[i] = v;
    }
  } else return formatError(file, 'names', 'missing: expected a list or a map of class names');
  const nc = (root as { nc?: unknown }).nc;
  if (nc !== undefined && nc !== list.length) return formatError(file, 'nc', `nc is ${String(nc)} but names has ${list.length}`);
  const out: string[] = [];
  const seen = new Set<string>();
  for (let i = 0; i < list.length; i++) {
    const v = list[i];
    if ((typeof v !== 'string' && typeof v !== 'number') || String(v).trim() === '') {
      return formatError(file, `names[${i}]`, 'expected a class name');
    }
    const name = String(v).trim();
    if (seen.has(name)) return formatError(file, `names[${i}]`, `duplicate class name "${name}"`);
    seen.add(name);
    out.push(name);
  }
  return ok(out);
}

/** The first key of a YAML map that repeats an earlier one (compared as text), with its line. */
function duplicateKey({ isMap, isScalar }: YamlLib, node: unknown, text: string): { key: string; at: string } | undefined {
  if (!isMap(node)) return undefined;
  const seen = new Set<string>();
  for (const pair of (node as YAMLMap).items) {
    const k = pair.key;
    const key = isScalar(k) ? String(k.value) : String(k);
    if (seen.has(key)) return { key, at: isScalar(k) && k.range ? lineColumn(text, k.range[0]) : '' };
    seen.add(key);
  }
  return undefined;
}

/** The splits an Ultralytics data.yaml names, in the order it lists them. */
export const YOLO_SPLITS = ['train', 'val', 'test'] as const;
export type YoloSplit = (typeof YOLO_SPLITS)[number];

/**
 * The data.yaml written beside classes.txt: `names` as an `{id: name}` map (every name
 * double-quoted, so that `yes`, `null` or `1.5` stay strings for PyYAML too) and, for each split
 * that has images, `<split>: images/<split>`. `path` is left out on purpose: without it Ultralytics
 * takes the folder of data.yaml as the dataset root, whereas a relative `path` is resolved against
 * the working directory by Ultralytics before 8.4 and an absolute one breaks when the folder moves.
 */
export function writeDataYaml(names: string[], splits: ReadonlySet<YoloSplit>): string {
  let y = '# Ultralytics dataset, written by Tessera. No `path`: the dataset root is this file\'s folder.\n';
  for (const s of YOLO_SPLITS) if (splits.has(s)) y += `${s}: images/${s}\n`;
  y += names.length ? 'names:\n' : 'names: {}\n';
  for (let i = 0; i < names.length; i++) y += `  ${i}: ${JSON.stringify(names[i])}\n`;
  return y;
}
