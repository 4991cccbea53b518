// Pipeline files (DESIGN.md "Jobs and stages"): YAML or JSON listing steps (`id`, `uses`, `with`,
// `needs`) that form a DAG. validatePipeline() checks everything before anything runs and names
// the path of each problem, e.g. `stages[2].with.ratio: expected number`.
import { z } from 'zod';
import { err, ok, type Result } from './errors.ts';
import type { YamlLib } from './parser-libs.ts';
import { describeIssues } from './stage.ts';

export const STEP_ID_RE = /^[A-Za-z0-9_-]{1,64}$/;

const StepSchema = z
  .object({
    id: z.string().regex(STEP_ID_RE, 'letters, digits, - and _ (at most 64)'),
    uses: z.string().min(1),
    with: z.record(z.string(), z.unknown()).optional(),
    needs: z.array(z.string()).optional(),
  })
  .strict();

const PipelineSchema = z
  .object({
    name: z.string().min(1).max(200),
    description: z.string().optional(),
    stages: z.array(StepSchema).min(1).max(200),
  })
  .strict();

export interface PipelineStep {
  id: string;
  uses: string;
  /** The parameters after the stage's schema (defaults filled in). */
  with: unknown;
  needs: string[];
}

export interface Pipeline {
  name: string;
  description?: string;
  /** In file order, which is also a valid run order (parents before children is not required of the file). */
  stages: PipelineStep[];
}

/** What validation needs to know of a stage: its parameter schema. */
export type StageLookup = (name: string) => { params: z.ZodType } | undefined;

/** Parses YAML (JSON is YAML too) with the yaml library (loadYaml()); a syntax error names the line and column. */
export function parsePipelineText(text: string, yaml: YamlLib): Result<unknown, string[]> {
  const lineCounter = new yaml.LineCounter();
  const doc = yaml.parseDocument(text, { prettyErrors: false, uniqueKeys: true, lineCounter });
  if (doc.errors.length) {
    return err(doc.errors.map((e) => {
      const at = lineCounter.linePos(e.pos[0]);
      return `${at ? `line ${at.line}, column ${at.col}: ` : ''}${e.message.split('\n')[0]}`;
    }));
  }
  return ok(doc.toJS({ maxAliasCount: 100 }));
}

export function validatePipeline(raw: unknown, stage: StageLookup): Result<Pipeline, string[]> {
  const shape = PipelineSchema.safeParse(raw);
  if (!shape.success) return err(describeIssues('', shape.error).split('; '));
  const problems: string[] = [];
  const steps = shape.data.stages;
  const index = new Map<string, number>();
  steps.forEach((s, i) => {
    if (index.has(s.id)) problems.push(`stages[${i}].id: "${s.id}" is already the id of stages[${index.get(s.id)}]`);
    else index.set(s.id, i);
  });
  const out: PipelineStep[] = steps.map((s, i) => {
    const at = `stages[${i}]`;
    const needs = s.needs ?? [];
    needs.forEach((n, j) => {
      if (!index.has(n)) problems.push(`${at}.needs[${j}]: no step has the id "${n}"`);
      else if (n === s.id) problems.push(`${at}.needs[${j}]: a step cannot need itself`);
    });
    if (new Set(needs).size !== needs.length) problems.push(`${at}.needs: lists a step twice`);
    const def = stage(s.uses);
    let params: unknown = s.with ?? {};
    if (!def) problems.push(`${at}.uses: no stage named "${s.uses}"`);
    else {
      const r = def.params.safeParse(s.with ?? {});
      if (r.success) params = r.data;
      else problems.push(...describeIssues(`${at}.with`, r.error).split('; '));
    }
    return { id: s.id, uses: s.uses, with: params, needs };
  });
  const cycle = findCycle(out);
  if (cycle) problems.push(`stages: the needs form a cycle: ${cycle.join(' → ')}`);
  if (problems.length) return err(problems);
  return ok({ name: shape.data.name, ...(shape.data.description ? { description: shape.data.description } : {}), stages: out });
}

/** A cycle as a list of step ids (first repeated at the end), or null. */
export function findCycle(steps: readonly { id: string; needs: readonly string[] }[]): string[] | null {
  const needs = new Map(steps.map((s) => [s.id, s.needs]));
  const state = new Map<string, 'visiting' | 'done'>();
  const path: string[] = [];
  const visit = (id: string): string[] | null => {
    if (state.get(id) === 'done' || !needs.has(id)) return null;
    if (state.get(id) === 'visiting') return [...path.slice(path.indexOf(id)), id];
    state.set(id, 'visiting');
    path.push(id);
    for (const n of needs.get(id)!) {
      const c = visit(n);
      if (c) return c;
    }
    path.pop();
    state.set(id, 'done');
    return null;
  };
  for (const s of steps) {
    const c = visit(s.id);
    if (c) return c.reverse();
  }
  return null;
}

/** Step statuses of a run; `pending` waits for its parents, `skipped` had a parent that did not succeed. */
export const STEP_STATUS = {
  pending: 'pending',
  queued: 'queued',
  running: 'running',
  succeeded: 'succeeded',
  failed: 'failed',
  skipped: 'skipped',
  cancelled: 'cancelled',
} as const;
export type StepStatus = (typeof STEP_STATUS)[keyof typeof STEP_STATUS];

export const RUN_STATUS = { running: 'running', succeeded: 'succeeded', failed: 'failed', cancelled: 'cancelled' } as const;
export type RunStatus = (typeof RUN_STATUS)[keyof typeof RUN_STATUS];
