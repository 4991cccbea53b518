// The EDA report of a release (issue 13 / issue 14 item 6), computed from its manifest alone plus
// who stands behind each image: class counts, shapes per image, box size and aspect-ratio
// histograms, shapes per annotator, images without shapes — for the whole release and per split.
// Annotators come from the server's provenance stored with each approved revision (who created
// each shape), never from a shape's `author` claim; images whose revision predates provenance are
// counted under `unattributed`. Approvers (who approved each image's revision) are listed beside.
import { z } from 'zod';
import type { DocShape, ShapeId } from '../doc/schema.ts';
import { edaReport, ReportSchema, type ReportImage } from '../eda/report.ts';
import { SPLIT_ORDER, type Manifest } from './manifest.ts';

export const RELEASE_REPORT_SCHEMA = 'tessera.release-report/1' as const;

export const ReleaseReportSchema = z.object({
  schema: z.literal(RELEASE_REPORT_SCHEMA),
  release: z.string(),
  all: ReportSchema,
  splits: z.object({ train: ReportSchema, val: ReportSchema, test: ReportSchema }),
  /** Shapes of revisions without stored provenance (nobody can be credited with them). */
  unattributed: z.number(),
  approvers: z.array(z.object({ userId: z.string(), username: z.string(), images: z.number() })),
});
export type ReleaseReport = z.infer<typeof ReleaseReportSchema>;

/** What the server knows of one approved revision (by its SHA-256): who approved it, who created each shape. */
export interface RevisionPeople {
  approvedBy: string;
  /** Shape id → the user whose connection created it; absent for revisions approved before provenance was kept. */
  createdBy?: Record<string, string | null>;
}

export function releaseReport(
  releaseId: string,
  m: Manifest,
  people: ReadonlyMap<string, RevisionPeople>,
  names: readonly { userId: string; username: string }[],
): ReleaseReport {
  let unattributed = 0;
  const approvers = new Map<string, number>();
  const images: Array<ReportImage & { split: string }> = m.images.map((im) => {
    const who = people.get(im.revision);
    if (who) approvers.set(who.approvedBy, (approvers.get(who.approvedBy) ?? 0) + 1);
    const shapes = im.shapes.map((s): DocShape => {
      const author = who?.createdBy?.[s.id] ?? null;
      if (author === null) unattributed++;
      return { id: s.id as ShapeId, kind: s.kind, label: s.label, points: s.points, attrs: s.attrs, author, updatedAt: 0, createdAt: 0 };
    });
    return { fileName: im.fileName, shapes, tags: im.tags, split: im.split };
  });
  const classes = m.categories;
  const byName = new Map(names.map((n) => [n.userId, n.username]));
  const of = (list: typeof images) => edaReport(list, classes, names);
  return {
    schema: RELEASE_REPORT_SCHEMA,
    release: releaseId,
    all: of(images),
    splits: Object.fromEntries(SPLIT_ORDER.map((s) => [s, of(images.filter((im) => im.split === s))])) as ReleaseReport['splits'],
    unattributed,
    approvers: [...approvers]
      .map(([userId, n]) => ({ userId, username: byName.get(userId) ?? userId, images: n }))
      .sort((a, b) => b.images - a.images || a.username.localeCompare(b.username)),
  };
}
