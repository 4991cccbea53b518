// Label Studio JSON export → Dataset (import only): rectangles in percent of the original size,
// rotated rectangles as four-point polygons, polygons, keypoints, choices as image tags. A task
// annotated by several people yields the most recent annotation unless an annotator is named.
import { ok } from '../errors.ts';
import { rotatedRect } from './geometry.ts';
import { parseJson } from './json.ts';
import { formatError, type Category, type Dataset, type DatasetImage, type FormatResult, type Shape } from './model.ts';
import { plural } from '../plural.ts';

export interface LabelStudioOptions {
  /** Take this person's annotation: matches `completed_by` as a user id, an email or a username. */
  annotator?: string;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
/** The text of a scalar; '' for an object or array (String of a deeply nested array overflows the stack). */
const str = (v: unknown): string => (typeof v === 'object' && v !== null ? '' : String(v));

export function parseLabelStudio(text: string, file: string, options: LabelStudioOptions = {}): FormatResult<Dataset> {
  const parsed = parseJson(text, file);
  if (!parsed.ok) return parsed;
  const root = parsed.value;
  const tasks = Array.isArray(root) ? root : isObj(root) && Array.isArray(root.tasks) ? root.tasks : isObj(root) ? [root] : undefined;
  const top = Array.isArray(root) ? '' : isObj(root) && Array.isArray(root.tasks) ? 'tasks' : '';
  if (!tasks) return formatError(file, '$', 'expected a list of tasks');
  const fail = (position: string, message: string) => formatError(file, position, message);

  const labels = new Set<string>();
  /** Result types with no Tessera shape → how many were skipped. */
  const skipped = new Map<string, number>();
  const images: DatasetImage[] = [];
  for (let t = 0; t < tasks.length; t++) {
    const task = tasks[t];
    const at = `${top}[${t}]`;
    if (!isObj(task)) return fail(at, 'expected a task object');
    const data = task.data;
    const fileName = isObj(data) ? (typeof data.image === 'string' ? data.image : Object.values(data).find((v) => typeof v === 'string')) : undefined;
    if (typeof fileName !== 'string' || fileName === '') return fail(`${at}.data.image`, 'missing the image reference');
    const anns = task.annotations ?? task.completions ?? [];
    if (!Array.isArray(anns)) return fail(`${at}.annotations`, 'expected a list');
    const chosen = pickAnnotation(anns, options.annotator);
    const image: DatasetImage = { fileName, width: 0, height: 0, shapes: [] };
    images.push(image);
    if (chosen < 0) continue;
    const aAt = `${at}.annotations[${chosen}]`;
    const result = (anns[chosen] as Obj).result ?? [];
    if (!Array.isArray(result)) return fail(`${aAt}.result`, 'expected a list');
    // Labels may live in a separate `labels` result that shares the region id.
    const labelById = new Map<string, string>();
    for (const r of result) {
      if (isObj(r) && r.type === 'labels' && isObj(r.value) && Array.isArray(r.value.labels) && typeof r.id === 'string') {
        labelById.set(r.id, str(r.value.labels[0]));
      }
    }
    for (let k = 0; k < result.length; k++) {
      const r = result[k];
      const rAt = `${aAt}.result[${k}]`;
      if (!isObj(r)) return fail(rAt, 'expected a result object');
      const type = str(r.type ?? '');
      const kind = type.replace(/labels$/, '');
      if (type !== 'choices' && kind !== 'rectangle' && kind !== 'polygon' && kind !== 'keypoint') {
        // Relations (which have no value), brushes, ellipses, text areas…: no Tessera shape. A
        // `labels` result only names another region's label (read above).
        if (type !== 'labels') skipped.set(type || '(no type)', (skipped.get(type || '(no type)') ?? 0) + 1);
        continue;
      }
      if (!isObj(r.value)) return fail(rAt, 'expected a result with a value');
      const v = r.value;
      if (type === 'choices') {
        if (!Array.isArray(v.choices)) return fail(`${rAt}.value.choices`, 'expected a list');
        for (const c of v.choices) if (str(c).trim() !== '') (image.tags ??= []).push(str(c));
        continue;
      }
      const W = r.original_width;
      const H = r.original_height;
      if (!isNum(W) || W <= 0) return fail(`${rAt}.original_width`, `expected a positive number, got ${JSON.stringify(W)}`);
      if (!isNum(H) || H <= 0) return fail(`${rAt}.original_height`, `expected a positive number, got ${JSON.stringify(H)}`);
      image.width = W;
      image.height = H;
      const names = v[type] ?? v.labels;
      const label = Array.isArray(names) && names.length ? str(names[0]) : labelById.get(str(r.id));
      if (!label || label.trim() === '') return fail(`${rAt}.value`, 'no label on this region');
      labels.add(label);
      const shape = regionShape(kind, v, W, H, label, rAt);
      if (!shape.ok) return formatError(file, shape.error.position, shape.error.message);
      image.shapes.push(shape.value);
    }
  }
  const dataset: Dataset = { categories: [...labels].map((name): Category => ({ name })), images };
  if (skipped.size) {
    let n = 0;
    for (const c of skipped.values()) n += c;
    const kinds = [...skipped].map(([t, c]) => `${t} ×${c}`).join(', ');
    dataset.warnings = [`${file}: ${plural(n, 'result')} skipped (${kinds}): Tessera has no shape for them`];
  }
  return ok(dataset);
}

function regionShape(kind: string, v: Obj, W: number, H: number, label: string, at: string): FormatResult<Shape> {
  const need = (k: string): number | string => (isNum(v[k]) ? (v[k] as number) : `${at}.value.${k}`);
  if (kind === 'polygon') {
    if (!Array.isArray(v.points) || v.points.length < 3) return formatError('', `${at}.value.points`, 'a polygon needs at least 3 points');
    const pts: number[] = [];
    for (let i = 0; i < v.points.length; i++) {
      const p = v.points[i];
      if (!Array.isArray(p) || !isNum(p[0]) || !isNum(p[1])) return formatError('', `${at}.value.points[${i}]`, 'expected [x, y] in percent');
      pts.push((p[0] * W) / 100, (p[1] * H) / 100);
    }
    return ok({ kind: 'polygon', label, points: pts, attrs: {} });
  }
  const x = need('x');
  const y = need('y');
  for (const c of [x, y]) if (typeof c === 'string') return formatError('', c, 'expected a number (percent)');
  const px = ((x as number) * W) / 100;
  const py = ((y as number) * H) / 100;
  if (kind === 'keypoint') return ok({ kind: 'point', label, points: [px, py], attrs: {} });
  const w = need('width');
  const h = need('height');
  for (const c of [w, h]) if (typeof c === 'string') return formatError('', c, 'expected a number (percent)');
  if ((w as number) < 0) return formatError('', `${at}.value.width`, `negative width ${w}`);
  if ((h as number) < 0) return formatError('', `${at}.value.height`, `negative height ${h}`);
  const pw = ((w as number) * W) / 100;
  const ph = ((h as number) * H) / 100;
  const rot = isNum(v.rotation) ? v.rotation % 360 : 0;
  if (rot === 0) return ok({ kind: 'box', label, points: [px, py, pw, ph], attrs: {} });
  return ok({ kind: 'polygon', label, points: rotatedRect(px, py, pw, ph, rot), attrs: {} });
}

/** The index of the annotation to import, or -1 when the task has none (or none by that annotator). */
function pickAnnotation(anns: unknown[], annotator: string | undefined): number {
  let best = -1;
  let bestTime = -Infinity;
  for (let i = 0; i < anns.length; i++) {
    const a = anns[i];
    if (!isObj(a) || a.was_cancelled === true) continue;
    if (annotator !== undefined && !byAnnotator(a.completed_by, annotator)) continue;
    const time = Date.parse(str(a.updated_at ?? a.created_at ?? ''));
    const t = Number.isNaN(time) ? -1 : time;
    if (t >= bestTime) {
      best = i;
      bestTime = t;
    }
  }
  return best;
}

function byAnnotator(completedBy: unknown, who: string): boolean {
  if (isObj(completedBy)) {
    return [completedBy.id, completedBy.email, completedBy.username].some((v) => v !== undefined && str(v) === who);
  }
  return completedBy !== undefined && str(completedBy) === who;
}
