// Geometry the converters share: polygon area, bounds, rotated rectangles, clamping, RLE area.

/** Absolute area of a closed polygon `[x1, y1, x2, y2, …]` (shoelace formula). */
export function polygonArea(p: ArrayLike<number>): number {
  const n = p.length;
  if (n < 6) return 0;
  let s = 0;
  let px = p[n - 2];
  let py = p[n - 1];
  for (let i = 0; i < n; i += 2) {
    const x = p[i];
    const y = p[i + 1];
    s += px * y - x * py;
    px = x;
    py = y;
  }
  return Math.abs(s) / 2;
}

/** `[x, y, w, h]` bounding a flat point list `[x1, y1, …]` (one part or several). */
export function boundsOf(parts: ArrayLike<number>[]): [number, number, number, number] {
  let x0 = Infinity;
  let y0 = Infinity;
  let x1 = -Infinity;
  let y1 = -Infinity;
  for (const p of parts) {
    for (let i = 0; i + 1 < p.length; i += 2) {
      const x = p[i];
      const y = p[i + 1];
      if (x < x0) x0 = x;
      if (x > x1) x1 = x;
      if (y < y0) y0 = y;
      if (y > y1) y1 = y;
    }
  }
  if (x0 === Infinity) return [0, 0, 0, 0];
  return [x0, y0, x1 - x0, y1 - y0];
}

/**
 * Corners of a `w × h` rectangle whose top-left corner is at `(x, y)`, rotated by `deg` degrees
 * clockwise (y points down) around that corner, as Label Studio stores rotated rectangles.
 */
export function rotatedRect(x: number, y: number, w: number, h: number, deg: number): number[] {
  const t = (deg * Math.PI) / 180;
  const c = Math.cos(t);
  const s = Math.sin(t);
  return [x, y, x + w * c, y + w * s, x + w * c - h * s, y + w * s + h * c, x - h * s, y + h * c];
}

export const clamp = (v: number, lo: number, hi: number): number => (v < lo ? lo : v > hi ? hi : v);

/**
 * Pixel area of a COCO RLE: the sum of its odd runs (runs alternate 0s and 1s, starting with 0s).
 * `counts` is a number list (uncompressed) or the LEB128-like string of pycocotools (compressed).
 * Returns undefined when the counts are not valid RLE.
 */
export function rleArea(counts: unknown): number | undefined {
  const runs = Array.isArray(counts) ? counts : typeof counts === 'string' ? decodeRleString(counts) : undefined;
  if (!runs) return undefined;
  let area = 0;
  for (let i = 0; i < runs.length; i++) {
    const r = runs[i];
    if (typeof r !== 'number' || !Number.isInteger(r) || r < 0) return undefined;
    if (i % 2 === 1) area += r;
  }
  return area;
}

/** Decodes pycocotools' compressed counts (`rleFrString`): 5 bits a char, deltas from i > 2. */
function decodeRleString(s: string): number[] | undefined {
  const out: number[] = [];
  let p = 0;
  while (p < s.length) {
    let x = 0;
    let k = 0;
    let more = true;
    while (more) {
      if (p >= s.length) return undefined;
      const c = s.charCodeAt(p) - 48;
      if (c < 0 || c > 63) return undefined;
      x |= (c & 0x1f) << (5 * k);
      more = (c & 0x20) !== 0;
      p++;
      k++;
      if (!more && c & 0x10) x |= -1 << (5 * k);
    }
    if (out.length > 2) x += out[out.length - 2];
    out.push(x);
  }
  return out;
}
