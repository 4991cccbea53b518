// The `report` stage's output (EDA): its schema, which the Pipelines page reads, and the pure
// computation from a project's images, classes, members and shapes.
import { z } from 'zod';
import type { DocShape } from '../doc/schema.ts';

const Histogram = z.object({ labels: z.array(z.string()), counts: z.array(z.number()) });
export type Histogram = z.infer<typeof Histogram>;

export const ReportSchema = z.object({
  images: z.number(),
  shapes: z.number(),
  tags: z.number(),
  classes: z.array(z.object({ id: z.string(), name: z.string(), shapes: z.number(), images: z.number() })),
  /** Shapes whose label is no class of the project. */
  unknownLabels: z.number(),
  shapesPerImage: Histogram,
  /** Boxes by √(width · height) in pixels. */
  boxSize: Histogram,
  /** Boxes by width / height. */
  aspectRatio: Histogram,
  annotators: z.array(z.object({ userId: z.string(), username: z.string(), shapes: z.number() })),
  imagesWithoutShapes: z.object({ count: z.number(), examples: z.array(z.string()) }),
});
export type Report = z.infer<typeof ReportSchema>;

export interface ReportImage {
  fileName: string;
  shapes: readonly DocShape[];
  tags: readonly string[];
}

function histogram(values: number[], edges: number[], label: (lo: number, hi: number) => string): Histogram {
  const counts = new Array(edges.length).fill(0);
  for (const v of values) {
    let i = edges.length - 1;
    while (i > 0 && v < edges[i]) i--;
    counts[i]++;
  }
  return { labels: edges.map((lo, i) => label(lo, edges[i + 1] ?? Infinity)), counts };
}

const range = (lo: number, hi: number) => (hi === Infinity ? `${lo}+` : hi - lo === 1 ? `${lo}` : `${lo}–${hi - 1}`);
const span = (lo: number, hi: number) => (hi === Infinity ? `≥ ${lo}` : `${lo}–${hi}`);

export function edaReport(images: readonly ReportImage[], classes: readonly { id: string; name: string }[], members: readonly { userId: string; username: string }[]): Report {
  const byClass = new Map(classes.map((c) => [c.id, { id: c.id, name: c.name, shapes: 0, images: new Set<string>() }]));
  const byAuthor = new Map<string, number>();
  const perImage: number[] = [];
  const sizes: number[] = [];
  const ratios: number[] = [];
  let shapes = 0;
  let tags = 0;
  let unknown = 0;
  const empty: string[] = [];
  for (const img of images) {
    perImage.push(img.shapes.length);
    if (img.shapes.length === 0) empty.push(img.fileName);
    tags += img.tags.length;
    for (const s of img.shapes) {
      shapes++;
      const c = byClass.get(s.label);
      if (c) (c.shapes++, c.images.add(img.fileName));
      else unknown++;
      if (s.author) byAuthor.set(s.author, (byAuthor.get(s.author) ?? 0) + 1);
      if (s.kind === 'box') {
        const [, , w, h] = s.points;
        sizes.push(Math.sqrt(Math.max(0, w * h)));
        if (h > 0) ratios.push(w / h);
      }
    }
  }
  const names = new Map(members.map((m) => [m.userId, m.username]));
  return {
    images: images.length,
    shapes,
    tags,
    classes: [...byClass.values()].map((c) => ({ id: c.id, name: c.name, shapes: c.shapes, images: c.images.size })),
    unknownLabels: unknown,
    shapesPerImage: histogram(perImage, [0, 1, 2, 3, 5, 10, 20, 50, 100], range),
    boxSize: histogram(sizes, [0, 8, 16, 32, 64, 128, 256, 512, 1024], span),
    aspectRatio: histogram(ratios, [0, 0.25, 0.5, 0.75, 1, 1.33, 2, 4], span),
    annotators: [...byAuthor].map(([userId, n]) => ({ userId, username: names.get(userId) ?? userId, shapes: n })).sort((a, b) => b.shapes - a.shapes || a.username.localeCompare(b.username)),
    imagesWithoutShapes: { count: empty.length, examples: empty.slice(0, 50) },
  };
}
