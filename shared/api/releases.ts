// Request schemas of the releases routes (DESIGN.md "Releases (REST)"), shared by the server, the
// command line and the web app.
import { z } from 'zod';
import type { ReleaseCounts, ReleaseDiff, SplitConfig } from '../release/index.ts';

export const SplitBody = z.strictObject({
  train: z.number().min(0),
  val: z.number().min(0),
  test: z.number().min(0),
  salt: z.string().max(200).optional(),
  groupBy: z.string().min(1).max(500).optional(),
});

export const CutBody = z.strictObject({
  notes: z.string().max(10_000).optional(),
  split: SplitBody.optional(),
});
export type CutBody = z.infer<typeof CutBody>;

export const GateBody = z.strictObject({ validate: z.strictObject({ iou: z.number().gt(0).max(1).default(0.95) }).nullable() });

export const AliasBody = z.strictObject({ release: z.number().int().min(1) });

export const QaBody = z.strictObject({
  status: z.enum(['validated', 'failed']),
  notes: z.string().max(10_000),
});

/** What `tessera pull` and the web app show for a cut's job result. */
export interface CutOutcome {
  number: number;
  id: string;
  created: boolean;
  included: number;
  unreviewedEdits: number;
  noRevision: number;
}

/** `GET /api/projects/:id/release-preview`: what a cut would include now. */
export interface CutPreview {
  /** Images of the project. */
  images: number;
  /** Images with an approved revision (what the release holds). */
  included: number;
  /** Of those, images edited since their approval (the release has the approved state). */
  unreviewedEdits: number;
  /** Images without an approved revision (left out). */
  noRevision: number;
}

export type QaView = { status: 'validated' | 'failed'; notes: string; by: string; at: number };

/** One row of `GET /api/projects/:id/releases`. */
export interface ReleaseSummary {
  number: number;
  id: string;
  parent: string | null;
  parentNumber: number | null;
  createdAt: number;
  createdBy: string;
  counts: ReleaseCounts;
  /** What the cut left out. */
  report: Omit<CutPreview, 'images'>;
  qa: QaView | null;
  aliases: string[];
}

/** `GET /api/projects/:id/releases/:ref`. */
export interface ReleaseDetail extends ReleaseSummary {
  notes: string;
  generatedNotes: string[];
  split: SplitConfig;
  diff: ReleaseDiff;
  qaHistory: QaView[];
}
