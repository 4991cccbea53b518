// The `validate` stage's checks as pure functions: shapes out of the image, of zero area, with a
// label that is no class, duplicated (same label and kind, IoU ≥ threshold); images duplicated by
// content hash or file name. With fixes: clip into the image, drop zero-area and duplicate shapes.
import type { DocShape } from '../doc/schema.ts';

export const PROBLEM = {
  outOfBounds: 'out_of_bounds',
  zeroArea: 'zero_area',
  unknownLabel: 'unknown_label',
  duplicateShape: 'duplicate_shape',
  duplicateImage: 'duplicate_image',
} as const;
export type ProblemKind = (typeof PROBLEM)[keyof typeof PROBLEM];

export interface Problem {
  kind: ProblemKind;
  imageId: string;
  fileName: string;
  shapeId?: string;
  detail: string;
}

export interface ImageFixes {
  move: Record<string, number[]>;
  remove: string[];
}

const EPS = 1e-9;

/** Axis-aligned bounds [x0, y0, x1, y1] of a shape. */
export function bounds(s: Pick<DocShape, 'kind' | 'points'>): [number, number, number, number] {
  if (s.kind === 'box') {
    const [x, y, w, h] = s.points;
    return [x, y, x + w, y + h];
  }
  let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
  for (let i = 0; i + 1 < s.points.length; i += 2) {
    x0 = Math.min(x0, s.points[i]);
    x1 = Math.max(x1, s.points[i]);
    y0 = Math.min(y0, s.points[i + 1]);
    y1 = Math.max(y1, s.points[i + 1]);
  }
  return [x0, y0, x1, y1];
}

export function area(s: Pick<DocShape, 'kind' | 'points'>): number | null {
  if (s.kind === 'box') return Math.max(0, s.points[2]) * Math.max(0, s.points[3]);
  if (s.kind !== 'polygon') return null;
  let a = 0;
  const p = s.points;
  for (let i = 0; i < p.length; i += 2) {
    const j = (i + 2) % p.length;
    a += p[i] * p[j + 1] - p[j] * p[i + 1];
  }
  return Math.abs(a) / 2;
}

/** IoU of the shapes' bounding boxes (exact for boxes; polygons are compared by their bounds). */
export function iou(a: Pick<DocShape, 'kind' | 'points'>, b: Pick<DocShape, 'kind' | 'points'>): number {
  const [ax0, ay0, ax1, ay1] = bounds(a);
  const [bx0, by0, bx1, by1] = bounds(b);
  const iw = Math.min(ax1, bx1) - Math.max(ax0, bx0);
  const ih = Math.min(ay1, by1) - Math.max(ay0, by0);
  if (iw <= 0 || ih <= 0) return a.kind === 'point' && b.kind === 'point' && ax0 === bx0 && ay0 === by0 ? 1 : 0;
  const inter = iw * ih;
  const union = (ax1 - ax0) * (ay1 - ay0) + (bx1 - bx0) * (by1 - by0) - inter;
  return union > 0 ? inter / union : 0;
}

function clip(s: DocShape, w: number, h: number): number[] {
  const c = (v: number, max: number) => Math.min(max, Math.max(0, v));
  if (s.kind === 'box') {
    const [x0, y0, x1, y1] = bounds(s).map((v, i) => c(v, i % 2 ? h : w));
    return [x0, y0, x1 - x0, y1 - y0];
  }
  return s.points.map((v, i) => c(v, i % 2 ? h : w));
}

export interface CheckImage {
  id: string;
  fileName: string;
  width: number;
  height: number;
  shapes: readonly DocShape[];
}

/** Checks one image's shapes; `fixes` says what `fix: true` would change. */
export function checkImage(img: CheckImage, classIds: ReadonlySet<string>, iouThreshold: number): { problems: Problem[]; fixes: ImageFixes } {
  const problems: Problem[] = [];
  const fixes: ImageFixes = { move: {}, remove: [] };
  const at = (kind: ProblemKind, shapeId: string, detail: string) => problems.push({ kind, imageId: img.id, fileName: img.fileName, shapeId, detail });
  const kept: DocShape[] = [];
  for (const s of img.shapes) {
    if (!classIds.has(s.label)) at(PROBLEM.unknownLabel, s.id, `label ${s.label} is no class of the project`);
    let shape = s;
    const [x0, y0, x1, y1] = bounds(s);
    if (x0 < -EPS || y0 < -EPS || x1 > img.width + EPS || y1 > img.height + EPS) {
      at(PROBLEM.outOfBounds, s.id, `${s.kind} reaches [${x0}, ${y0}]–[${x1}, ${y1}] in a ${img.width}×${img.height} image`);
      shape = { ...s, points: clip(s, img.width, img.height) };
      fixes.move[s.id] = shape.points;
    }
    const a = area(shape);
    if (a !== null && a <= EPS) {
      at(PROBLEM.zeroArea, s.id, `${s.kind} has no area${shape !== s ? ' inside the image' : ''}`);
      fixes.remove.push(s.id);
      delete fixes.move[s.id];
      continue;
    }
    const twin = kept.find((k) => k.label === shape.label && k.kind === shape.kind && iou(k, shape) >= iouThreshold);
    if (twin) {
      at(PROBLEM.duplicateShape, s.id, `same label as ${twin.id}, IoU ${iou(twin, shape).toFixed(3)}`);
      fixes.remove.push(s.id);
      delete fixes.move[s.id];
      continue;
    }
    kept.push(shape);
  }
  return { problems, fixes };
}

/** Images that share their content hash or their file name with an earlier one. */
export function duplicateImages(images: readonly { id: string; fileName: string; sha256: string }[]): Problem[] {
  const bySha = new Map<string, string>();
  const byName = new Map<string, string>();
  const out: Problem[] = [];
  for (const img of images) {
    const sameSha = bySha.get(img.sha256);
    const sameName = byName.get(img.fileName);
    if (sameSha) out.push({ kind: PROBLEM.duplicateImage, imageId: img.id, fileName: img.fileName, detail: `same bytes (SHA-256) as ${sameSha}` });
    else if (sameName) out.push({ kind: PROBLEM.duplicateImage, imageId: img.id, fileName: img.fileName, detail: `same file name as image ${sameName}, other bytes` });
    if (!sameSha) bySha.set(img.sha256, img.fileName);
    if (!sameName) byName.set(img.fileName, img.id);
  }
  return out;
}
