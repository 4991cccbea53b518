// Builds the ctx a stage's work receives for one attempt: throttled progress, a logger and exec
// output buffered into the job log, the abort signal, blobs, services and a temp dir. What is
// shared by every attempt of a runner lives in one AttemptHost; an attempt itself is a class
// instance whose ctx members are made on first use (a stage that reports nothing, logs nothing
// and never reads its signal costs no closures, timers or AbortController: the runner's hot path
// for short jobs).
import { formatWithOptions } from 'node:util';
import type { ExecOptions, StageBlobs, StageContext, StageLogger, StageServices } from '../../shared/stage.ts';
import type { ClaimedJob, JobQueue, LogLine } from '../ports/job-queue.ts';
import { execProgram } from './exec.ts';
import type { LazyAbort } from './lazy-abort.ts';

/** What every attempt of one runner shares. */
export interface AttemptHost {
  queue: JobQueue;
  /** Minimum time between two progress writes. */
  progressMs: number;
  now(): number;
  /** Creates a temp dir for the job (the attempt asks on first use of ctx.tempDir). */
  makeTempDir(job: ClaimedJob): string;
  /** Told of every progress write (the runner publishes it). */
  onProgress(job: ClaimedJob, fraction: number, message: string): void;
  /** Problems writing to the queue (a lost lease shows up on the next heartbeat). */
  onError(job: ClaimedJob, e: unknown): void;
}

const MAX_LINE = 8_000;
const MAX_LINES_PER_JOB = 50_000;

/** One attempt's buffered log lines and progress, and its ctx. */
export class Attempt {
  readonly ctx: StageContext;
  /** The attempt's temp dir once ctx.tempDir made it (the runner removes it). */
  tempDir: string | null = null;
  private lines: LogLine[] = [];
  private written = 0;
  private dropped = 0;
  private pendingProgress: { fraction: number; message: string } | null = null;
  private lastProgressAt = 0;
  private writing: Promise<void> | null = null;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    readonly host: AttemptHost,
    readonly job: ClaimedJob,
    params: unknown,
    readonly abort: LazyAbort,
    blobs: StageBlobs,
    services: StageServices,
  ) {
    this.ctx = new AttemptCtx(this, params, blobs, services);
  }

  makeTempDir(): string {
    return (this.tempDir ??= this.host.makeTempDir(this.job));
  }

  line(stream: LogLine['stream'], text: string): void {
    if (this.written >= MAX_LINES_PER_JOB) return void this.dropped++;
    this.written++;
    this.tick();
    this.lines.push({ at: this.host.now(), stream, line: text.length > MAX_LINE ? `${text.slice(0, MAX_LINE)}…` : text });
    if (this.lines.length >= 500) void this.writeOut();
  }

  report(fraction: number, message: string): void {
    if (!Number.isFinite(fraction)) return;
    this.pendingProgress = { fraction: Math.min(1, Math.max(0, fraction)), message: String(message).slice(0, 500) };
    this.tick();
    if (this.host.now() - this.lastProgressAt >= this.host.progressMs) void this.writeOut();
  }

  /** Whether flush() has anything to write or wait for. */
  get busy(): boolean {
    return this.lines.length > 0 || this.pendingProgress !== null || this.dropped > 0 || this.writing !== null;
  }

  /** Writes the last progress and log lines; call before settling the job. */
  async flush(): Promise<void> {
    if (this.dropped) this.lines.push({ at: this.host.now(), stream: 'log', line: `(${this.dropped} more log lines dropped: a job keeps at most ${MAX_LINES_PER_JOB})` });
    this.dropped = 0;
    // Nothing buffered: wait for writes in flight only.
    await (this.lines.length || this.pendingProgress ? this.writeOut() : this.writing);
  }

  /** Stops the timer. */
  close(): void {
    if (this.timer) clearInterval(this.timer);
  }

  private writeOut(): Promise<void> {
    const batch = this.lines;
    this.lines = [];
    const progress = this.pendingProgress;
    this.pendingProgress = null;
    if (progress) this.lastProgressAt = this.host.now();
    const { host, job } = this;
    const write = async () => {
      try {
        if (batch.length) await host.queue.appendLog(job.id, job.leaseToken, batch);
        if (progress && (await host.queue.progress(job.id, job.leaseToken, progress))) host.onProgress(job, progress.fraction, progress.message);
      } catch (e) {
        host.onError(job, e);
      }
    };
    const w: Promise<void> = (this.writing ?? Promise.resolve()).then(write).then(() => {
      if (this.writing === w) this.writing = null;
    });
    this.writing = w;
    return w;
  }

  /** Started by the first line or progress report: a job that reports nothing costs no timer. */
  private tick(): void {
    if (this.timer) return;
    this.timer = setInterval(() => {
      if (this.lines.length || this.pendingProgress) void this.writeOut();
    }, this.host.progressMs);
    this.timer.unref();
  }
}

/** The ctx of one attempt; its functions are made (and bound) on first use, so destructuring works. */
class AttemptCtx implements StageContext {
  #a: Attempt;
  #job: StageContext['job'] | null = null;
  #progress: StageContext['progress'] | null = null;
  #log: StageLogger | null = null;
  #exec: StageContext['exec'] | null = null;

  constructor(
    a: Attempt,
    readonly params: unknown,
    readonly blobs: StageBlobs,
    readonly services: StageServices,
  ) {
    this.#a = a;
  }

  get job(): StageContext['job'] {
    const j = this.#a.job;
    return (this.#job ??= { id: j.id, attempt: j.attempts, projectId: j.projectId, runId: j.runId, stepId: j.stepId, userId: j.createdBy });
  }

  get signal(): AbortSignal {
    return this.#a.abort.signal;
  }

  get progress(): StageContext['progress'] {
    const a = this.#a;
    return (this.#progress ??= (fraction, message = '') => a.report(fraction, message));
  }

  get log(): StageLogger {
    const a = this.#a;
    const at = (level: string) => (...args: unknown[]) => a.line('log', `${level === 'info' ? '' : `${level}: `}${formatWithOptions({ colors: false, depth: 4 }, ...args)}`);
    return (this.#log ??= { info: at('info'), warn: at('warn'), error: at('error') });
  }

  get tempDir(): string {
    return this.#a.makeTempDir();
  }

  get exec(): StageContext['exec'] {
    const a = this.#a;
    return (this.#exec ??= (cmd: string, args: readonly string[], opts?: ExecOptions) =>
      execProgram({ signal: a.abort.signal, cwd: opts?.cwd ?? a.makeTempDir(), line: (stream, text) => a.line(stream, text) }, cmd, args, opts));
  }
}
