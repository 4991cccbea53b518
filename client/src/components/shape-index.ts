// A uniform-grid spatial index of shape bounds in image pixels: which shapes may lie under a point
// or inside a rectangle without looking at every shape (hit-testing and partial redraws on dense
// images). `sync` brings it to a list in drawing order and re-indexes only the entries whose
// object changed, so a move on a 2,000-shape image touches one entry.
import type { ShapeKind } from '../../../shared/doc/index.ts';
import { bounds } from './geometry.ts';

/** `[minX, minY, maxX, maxY]`. */
export type Rect = [number, number, number, number];

export interface Indexed {
  id: string;
  kind: ShapeKind;
  points: readonly number[];
}

interface Entry<T> {
  item: T;
  b: Rect;
  /** Position in the list last synced (drawing order: later is on top). */
  order: number;
}

/** What one sync changed: a shape's bounds before (absent when it is new) and after (absent when gone). */
export interface IndexChange {
  id: string;
  before?: Rect;
  after?: Rect;
}

/** Grid cells of about `size / 32` pixels (at least 32), so that a shape as large as the image spans at most 32×32 cells. */
export const cellFor = (width: number, height: number) => Math.max(32, Math.ceil(Math.max(width, height) / 32));

const OFFSET = 32768;
const key = (cx: number, cy: number) => (cx + OFFSET) * 65536 + (cy + OFFSET);

export class ShapeIndex<T extends Indexed> {
  private readonly cells = new Map<number, Set<string>>();
  private readonly entries = new Map<string, Entry<T>>();

  constructor(private readonly cell: number) {}

  get size(): number {
    return this.entries.size;
  }

  get(id: string): T | undefined {
    return this.entries.get(id)?.item;
  }

  /** Position of a shape in drawing order, or -1. */
  order(id: string): number {
    return this.entries.get(id)?.order ?? -1;
  }

  /** Brings the index to `list` (drawing order); entries whose object is unchanged are kept as they are. */
  sync(list: readonly T[]): IndexChange[] {
    const changes: IndexChange[] = [];
    const seen = new Set<string>();
    list.forEach((item, order) => {
      seen.add(item.id);
      const e = this.entries.get(item.id);
      if (e && e.item === item) {
        e.order = order;
        return;
      }
      const b = bounds(item.kind, item.points);
      if (e) {
        this.unlink(item.id, e.b);
        changes.push({ id: item.id, before: e.b, after: b });
      } else changes.push({ id: item.id, after: b });
      this.entries.set(item.id, { item, b, order });
      this.link(item.id, b);
    });
    for (const [id, e] of this.entries) {
      if (seen.has(id)) continue;
      this.unlink(id, e.b);
      this.entries.delete(id);
      changes.push({ id, before: e.b });
    }
    return changes;
  }

  /** The shapes whose bounds meet `r`, in drawing order (bottom first). */
  query(r: Rect): T[] {
    const found = new Map<string, Entry<T>>();
    this.visit(r, (id) => {
      if (found.has(id)) return;
      const e = this.entries.get(id)!;
      if (e.b[0] <= r[2] && e.b[2] >= r[0] && e.b[1] <= r[3] && e.b[3] >= r[1]) found.set(id, e);
    });
    return [...found.values()].sort((a, b) => a.order - b.order).map((e) => e.item);
  }

  private span(r: Rect): [number, number, number, number] {
    const c = this.cell;
    const lim = (v: number) => Math.max(-OFFSET + 1, Math.min(OFFSET - 1, v));
    return [lim(Math.floor(r[0] / c)), lim(Math.floor(r[1] / c)), lim(Math.floor(r[2] / c)), lim(Math.floor(r[3] / c))];
  }

  /** Calls `fn` with the key of every cell that `r` touches. */
  private cellsOf(r: Rect, fn: (key: number) => void): void {
    const [c0, r0, c1, r1] = this.span(r);
    for (let cx = c0; cx <= c1; cx++) for (let cy = r0; cy <= r1; cy++) fn(key(cx, cy));
  }

  private visit(r: Rect, fn: (id: string) => void): void {
    this.cellsOf(r, (k) => {
      const ids = this.cells.get(k);
      if (ids) for (const id of ids) fn(id);
    });
  }

  private link(id: string, b: Rect): void {
    this.cellsOf(b, (k) => {
      let ids = this.cells.get(k);
      if (!ids) this.cells.set(k, (ids = new Set()));
      ids.add(id);
    });
  }

  private unlink(id: string, b: Rect): void {
    this.cellsOf(b, (k) => {
      const ids = this.cells.get(k);
      if (!ids) return;
      ids.delete(id);
      if (!ids.size) this.cells.delete(k);
    });
  }
}
