// The Stage interface (DESIGN.md "Jobs and stages"): defineStage() declares a stage's name,
// version, parameter/input/output schemas (zod) and its async work(input, ctx). A stage author
// never touches the queue; the runner (server/jobs/) validates, caches, runs and records.
import { z } from 'zod';
import type { StageServices } from './stage-services.ts';

export type { StageServices };

export const STAGE_NAME_RE = /^[a-z][a-z0-9_-]{0,63}$/;

export interface StageLogger {
  info(...args: unknown[]): void;
  warn(...args: unknown[]): void;
  error(...args: unknown[]): void;
}

/** Content-addressed storage for stage outputs: bytes in, SHA-256 out. */
export interface StageBlobs {
  put(bytes: Uint8Array): Promise<string>;
  get(sha256: string): Promise<Uint8Array | null>;
}

export interface ExecOptions {
  cwd?: string;
  /** Added to a minimal environment (PATH, HOME, LANG). */
  env?: Record<string, string>;
  /** Written to the program's stdin. */
  stdin?: string | Uint8Array;
  /** Killed (SIGTERM, then SIGKILL) and failed naming the limit when it runs longer than this. */
  timeoutMs?: number;
}

export interface ExecResult {
  stdout: string;
  stderr: string;
}

export interface StageContext<P = unknown> {
  /** The validated parameters (the pipeline's `with:`). */
  params: P;
  job: { id: string; attempt: number; projectId: string | null; runId: string | null; stepId: string | null; userId: string | null };
  /** Aborted when the job is cancelled or its lease is lost: stop promptly. */
  signal: AbortSignal;
  /** 0–1 and a short message; written at a throttled rate and pushed live to the UI. */
  progress(fraction: number, message?: string): void;
  /** Lines go to the job's log. */
  log: StageLogger;
  blobs: StageBlobs;
  /** The project's data (images, annotations, members), acting as the user who started the job. */
  services: StageServices;
  /** A fresh directory for this attempt, removed when it ends. */
  tempDir: string;
  /**
   * Runs a program without a shell; its stdout and stderr go to the job log line by line.
   * Rejects with a StageError (`exit_code`) naming the code when it exits non-zero; the abort
   * signal kills it.
   */
  exec(cmd: string, args: readonly string[], opts?: ExecOptions): Promise<ExecResult>;
}

export interface StageDefinition<PS extends z.ZodType, IS extends z.ZodType, OS extends z.ZodType> {
  /** Lower case, digits, `-` and `_`; what a pipeline's `uses:` names. */
  name: string;
  /** Bump it when the stage's behaviour changes: cached outputs of other versions are not reused. */
  version: string | number;
  description?: string;
  /** The pipeline's `with:`. Defaults to an empty object that refuses unknown keys. */
  params?: PS;
  /** What the stage reads: the output of the step it needs (or `{id: output}` for several). */
  input?: IS;
  output: OS;
  /** Reuse an earlier successful output for the same name, version, params and input (default true). */
  cache?: boolean;
  /** `server`: only the server process runs it (it writes live documents). Default `any`. */
  runsIn?: 'server' | 'any';
  /** Attempts before the job is declared dead (default 3). */
  maxAttempts?: number;
  /** At most this many running jobs of the stage at once, across all workers. */
  concurrency?: number;
  work(input: z.output<IS>, ctx: StageContext<z.output<PS>>): Promise<z.input<OS>> | z.input<OS>;
}

export interface Stage {
  readonly kind: 'tessera.stage';
  readonly name: string;
  readonly version: string;
  readonly description: string;
  readonly params: z.ZodType;
  readonly input: z.ZodType;
  readonly output: z.ZodType;
  readonly cache: boolean;
  readonly runsIn: 'server' | 'any';
  readonly maxAttempts?: number;
  readonly concurrency?: number;
  work(input: unknown, ctx: StageContext<any>): Promise<unknown> | unknown;
}

export function defineStage<PS extends z.ZodType = z.ZodObject<{}>, IS extends z.ZodType = z.ZodUnknown, OS extends z.ZodType = z.ZodType>(
  def: StageDefinition<PS, IS, OS>,
): Stage {
  if (!STAGE_NAME_RE.test(def.name)) throw new TypeError(`stage name ${JSON.stringify(def.name)}: use lower case letters, digits, - and _`);
  if (typeof def.work !== 'function') throw new TypeError(`stage ${def.name}: work(input, ctx) is missing`);
  if (!def.output) throw new TypeError(`stage ${def.name}: output schema is missing`);
  return Object.freeze({
    kind: 'tessera.stage' as const,
    name: def.name,
    version: String(def.version),
    description: def.description ?? '',
    params: def.params ?? z.object({}).strict(),
    input: def.input ?? z.unknown(),
    output: def.output,
    cache: def.cache ?? true,
    runsIn: def.runsIn ?? 'any',
    maxAttempts: def.maxAttempts,
    concurrency: def.concurrency,
    work: def.work as Stage['work'],
  });
}

export const isStage = (v: unknown): v is Stage =>
  typeof v === 'object' && v !== null && (v as Stage).kind === 'tessera.stage' && typeof (v as Stage).work === 'function';

/**
 * A failure the stage (or the runner) classifies: `retryable: false` fails the job at once.
 * A user stage imports this module from source while the bundled server holds its own copy, so
 * `instanceof StageError` is structural (any copy's StageError passes; subclasses test as usual).
 */
export class StageError extends Error {
  readonly code: string;
  readonly retryable: boolean;
  constructor(message: string, opts: { code?: string; retryable?: boolean } = {}) {
    super(message);
    this.name = 'StageError';
    this.code = opts.code ?? 'stage';
    this.retryable = opts.retryable ?? true;
  }

  static override [Symbol.hasInstance](v: unknown): boolean {
    return this === StageError ? isStageError(v) : Function.prototype[Symbol.hasInstance].call(this, v);
  }
}

/** Whether `v` is a StageError from any copy of this module: an Error named so, with a string code and a boolean retryable. */
export function isStageError(v: unknown): v is StageError {
  return v instanceof Error && v.name === 'StageError' && typeof (v as StageError).code === 'string' && typeof (v as StageError).retryable === 'boolean';
}

/** zod issues as `prefix.path: problem` lines, e.g. `stages[2].with.ratio: expected number`. */
export function describeIssues(prefix: string, error: z.ZodError): string {
  return error.issues.map((i) => `${joinPath(prefix, i.path)}: ${issueText(i)}`).join('; ');
}

export function joinPath(prefix: string, path: readonly PropertyKey[]): string {
  let s = prefix;
  for (const p of path) s += typeof p === 'number' ? `[${p}]` : s ? `.${String(p)}` : String(p);
  return s || '(root)';
}

function issueText(i: z.core.$ZodIssue): string {
  if (i.code === 'invalid_type') return `expected ${i.expected}`;
  if (i.code === 'unrecognized_keys') return `unknown key${i.keys.length > 1 ? 's' : ''} ${i.keys.join(', ')}`;
  return i.message;
}
