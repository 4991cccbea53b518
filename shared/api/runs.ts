// Model runs (DESIGN.md "Model runs (REST)"): the request schema of POST /api/projects/:id/runs and
// the shape of a stored run, shared by the server, `tessera runs` and the web app. A run names its
// release by number, alias or id in the request and is stored with the release id (manifest digest).
import { z } from 'zod';

/** Metric and class names: what a training script prints, without control characters. */
const Name = z
  .string()
  .min(1)
  .max(200)
  .regex(/^[^\p{Cc}]+$/u, 'must not contain control characters');

const Finite = z.number({ error: 'must be a number' }).finite('must be a finite number');

/** A metric: a number, or a map class name → number (per-class AP, recall…). */
export const MetricValue = z.union([Finite, z.record(Name, Finite).refine((m) => Object.keys(m).length <= 1000, 'at most 1,000 classes')], {
  error: 'must be a number or a map of class name to number',
});
export const Metrics = z.record(Name, MetricValue).refine((m) => Object.keys(m).length <= 1000, 'at most 1,000 metrics');
export type Metrics = z.infer<typeof Metrics>;

/** A release as a run request may name it: its number, an alias (`latest`, `prod`) or its id. */
export const ReleaseRef = z.union([z.number().int().min(1), z.string().min(1).max(64)], { error: 'must be a release number, alias or id' });

export const RunBody = z.strictObject({
  model: Name,
  version: z.string().min(1).max(200),
  release: ReleaseRef,
  metrics: Metrics,
  /** Training parameters as the script had them (any JSON object). */
  params: z.record(z.string().max(200), z.unknown()).optional(),
  /** The code's git commit. */
  code: z
    .string()
    .regex(/^[0-9a-f]{7,64}$/, 'must be a git commit id (7–64 lowercase hex digits)')
    .optional(),
  /** The release split the metrics were measured on. */
  split: z.enum(['train', 'val', 'test']).optional(),
  notes: z.string().max(10_000).optional(),
});
export type RunBody = z.infer<typeof RunBody>;

export const RunNoteBody = z.strictObject({ text: z.string().min(1).max(10_000) });

export interface RunNote {
  text: string;
  by: string;
  at: number;
}

/** A stored run: immutable, with notes appended later. */
export interface RunView {
  id: string;
  projectId: string;
  model: string;
  version: string;
  /** The release id (SHA-256 of its manifest), and its number in the project. */
  releaseId: string;
  releaseNumber: number;
  metrics: Metrics;
  params: Record<string, unknown>;
  code: string | null;
  split: string | null;
  createdBy: string;
  createdAt: number;
  notes: RunNote[];
}

/** The numbers of a metric across runs, for a chart: a number, or the mean of a per-class map. */
export function metricNumber(metrics: Metrics, name: string): number | null {
  const v = metrics[name];
  if (v === undefined) return null;
  if (typeof v === 'number') return v;
  const xs = Object.values(v);
  return xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : null;
}
