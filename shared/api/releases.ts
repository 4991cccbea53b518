// Request schemas of the releases routes (DESIGN.md "Releases (REST)"), shared by the server, the
// command line and the web app.
import { z } from 'zod';

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
