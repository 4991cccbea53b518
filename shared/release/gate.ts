// The release gate's checks (issue 13 item 4): the validate stage's checks (shared/eda/validate.ts)
// run over the manifest a cut would store — shapes out of bounds, of zero area, with a label that
// is no category, duplicates (same label and kind, IoU ≥ `iou`), and images sharing a file name —
// so what is refused is exactly what would have been released.
import type { DocShape, ShapeId } from '../doc/schema.ts';
import { checkImage, PROBLEM, type Problem, type ProblemKind } from '../eda/validate.ts';
import type { Manifest } from './manifest.ts';

export interface GateParams {
  /** IoU at or above which two shapes of the same label and kind are duplicates. */
  iou: number;
}
export const DEFAULT_GATE: GateParams = { iou: 0.95 };

export interface GateReport {
  schema: 'tessera.release-gate/1';
  /** SHA-256 of the manifest that was checked (the id the release would have had). */
  manifest: string;
  params: GateParams;
  images: number;
  shapes: number;
  counts: Record<ProblemKind, number>;
  /** At most MAX_LISTED, in manifest order; `counts` holds the totals. Problems name images by blob SHA-256 as `imageId`. */
  problems: Problem[];
}

export const MAX_LISTED = 5_000;

export function gateProblem(p: unknown): string | null {
  if (typeof p !== 'object' || p === null) return 'validate: expected {iou}';
  const iou = (p as { iou?: unknown }).iou;
  if (typeof iou !== 'number' || !(iou > 0 && iou <= 1)) return 'validate.iou: a number above 0 and at most 1';
  return null;
}

export function checkManifest(manifestId: string, m: Manifest, params: GateParams): GateReport {
  const classIds = new Set(m.categories.map((c) => c.id));
  const problems: Problem[] = [];
  const counts = Object.fromEntries(Object.values(PROBLEM).map((k) => [k, 0])) as Record<ProblemKind, number>;
  const add = (p: Problem) => {
    counts[p.kind]++;
    if (problems.length < MAX_LISTED) problems.push(p);
  };
  const names = new Map<string, string>();
  let shapes = 0;
  for (const im of m.images) {
    const twin = names.get(im.fileName);
    if (twin) add({ kind: PROBLEM.duplicateImage, imageId: im.blob, fileName: im.fileName, detail: `same file name as image ${twin.slice(0, 12)}, other bytes` });
    else names.set(im.fileName, im.blob);
    shapes += im.shapes.length;
    const docShapes = im.shapes.map((s): DocShape => ({ id: s.id as ShapeId, kind: s.kind, label: s.label, points: s.points, attrs: s.attrs, author: null, updatedAt: 0, createdAt: 0 }));
    for (const p of checkImage({ id: im.blob, fileName: im.fileName, width: im.width, height: im.height, shapes: docShapes }, classIds, params.iou).problems) add(p);
  }
  return { schema: 'tessera.release-gate/1', manifest: manifestId, params, images: m.images.length, shapes, counts, problems };
}

export const problemTotal = (r: Pick<GateReport, 'counts'>) => Object.values(r.counts).reduce((a, b) => a + b, 0);
