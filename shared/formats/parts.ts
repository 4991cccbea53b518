// Multi-part annotations: the polygons of one COCO annotation (shapes sharing `attrs.group`) seen
// by the writers as one annotation, and merged into one polygon for YOLO segmentation the way
// Ultralytics' COCO converter does it (parts joined at their closest points).
import { ATTR, type Shape } from './model.ts';

/**
 * Calls `fn` once per annotation of an image, in shape order: for a grouped polygon, once at its
 * first part with every part of its group (same group number and label); for any other shape,
 * with `parts` undefined. Groups are only collected when an image has one, so the common case
 * costs one property read per shape.
 */
export function forEachAnnotation(shapes: Shape[], fn: (shape: Shape, parts: number[][] | undefined) => void): void {
  let groups: Map<string, number[][]> | undefined;
  for (const s of shapes) {
    if (s.kind === 'polygon' && typeof s.attrs[ATTR.group] === 'number') {
      groups ??= groupParts(shapes);
      const key = groupKey(s);
      const parts = groups.get(key);
      if (!parts) continue; // a later part of a group already emitted
      groups.delete(key);
      fn(s, parts);
    } else fn(s, undefined);
  }
}

const groupKey = (s: Shape) => `${s.attrs[ATTR.group] as number}\u0000${s.label}`;

function groupParts(shapes: Shape[]): Map<string, number[][]> {
  const out = new Map<string, number[][]>();
  for (const s of shapes) {
    if (s.kind !== 'polygon' || typeof s.attrs[ATTR.group] !== 'number') continue;
    const key = groupKey(s);
    const list = out.get(key);
    if (list) list.push(s.points);
    else out.set(key, [s.points]);
  }
  return out;
}

/**
 * One polygon `[x1, y1, …]` through every part, as Ultralytics' `merge_multi_segment` builds it:
 * each part is linked to the next at their closest pair of vertices, and the ring walks out along
 * those links and back, so each link is a zero-width bridge traversed once each way. The first and
 * last parts are walked all the way round (closed: their link vertex appears at both ends); a
 * middle part is walked from its entry to its exit on the way out and on round to its entry on the
 * way back. Unlike Ultralytics, a middle part is never reversed (its reversal there indexes the
 * flipped array with unflipped indices), so every part keeps its orientation.
 *
 * Two squares side by side, `A = (0,0) (1,0) (1,1) (0,1)` and `B = (3,0) (4,0) (4,1) (3,1)`, are
 * linked at A's (1,0) and B's (3,0), giving `(1,0) (1,1) (0,1) (0,0) (1,0) (3,0) (4,0) (4,1) (3,1) (3,0)`.
 */
export function mergeParts(parts: number[][]): number[] {
  if (parts.length === 1) return parts[0];
  const n = parts.length;
  const entry = new Array<number>(n).fill(0);
  const exit = new Array<number>(n).fill(0);
  for (let i = 1; i < n; i++) {
    const [a, b] = closestVertices(parts[i - 1], parts[i]);
    exit[i - 1] = a;
    entry[i] = b;
  }
  entry[0] = exit[0];
  exit[n - 1] = entry[n - 1];
  const out: number[] = [];
  /** Appends vertices `from`, `from + 1`, … up to `to` (wrapping); `to === from` walks the whole ring. */
  const walk = (p: number[], from: number, to: number) => {
    const m = p.length / 2;
    let steps = (to - from + m) % m;
    if (steps === 0) steps = m;
    for (let k = 0; k <= steps; k++) {
      const v = (from + k) % m;
      out.push(p[2 * v], p[2 * v + 1]);
    }
  };
  walk(parts[0], exit[0], exit[0]);
  for (let i = 1; i < n - 1; i++) walk(parts[i], entry[i], exit[i]);
  walk(parts[n - 1], entry[n - 1], entry[n - 1]);
  for (let i = n - 2; i >= 1; i--) walk(parts[i], exit[i], entry[i]);
  return out;
}

/**
 * The vertex indexes `[i, j]` of `a` and `b` (flat `[x, y, …]` lists) that are closest; ties go to
 * the smallest `i`, then the smallest `j` (numpy's argmin over the distance matrix, as Ultralytics
 * takes it). A sweep over `b` sorted by x keeps large parts from costing |a| × |b| in practice.
 */
export function closestVertices(a: number[], b: number[]): [number, number] {
  const m = b.length / 2;
  const order = Array.from({ length: m }, (_, j) => j).sort((p, q) => b[2 * p] - b[2 * q] || p - q);
  const xs = order.map((j) => b[2 * j]);
  let best = Infinity;
  let bi = 0;
  let bj = 0;
  const consider = (i: number, j: number, d: number) => {
    if (d < best || (d === best && i === bi && j < bj)) {
      best = d;
      bi = i;
      bj = j;
    }
  };
  for (let i = 0; i < a.length / 2; i++) {
    const x = a[2 * i];
    const y = a[2 * i + 1];
    // First position in xs with xs[pos] >= x.
    let lo = 0;
    let hi = m;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (xs[mid] < x) lo = mid + 1;
      else hi = mid;
    }
    for (let k = lo; k < m; k++) {
      const dx = xs[k] - x;
      if (dx * dx > best) break;
      const j = order[k];
      const dy = b[2 * j + 1] - y;
      consider(i, j, dx * dx + dy * dy);
    }
    for (let k = lo - 1; k >= 0; k--) {
      const dx = x - xs[k];
      if (dx * dx > best) break;
      const j = order[k];
      const dy = b[2 * j + 1] - y;
      consider(i, j, dx * dx + dy * dy);
    }
  }
  return [bi, bj];
}
