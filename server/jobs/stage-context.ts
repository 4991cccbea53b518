// Builds the ctx a stage's work receives for one attempt: throttled progress, a logger and exec
// output buffered into the job log, the abort signal, blobs, services and a temp dir.
import { formatWithOptions } from 'node:util';
import type { StageBlobs, StageContext, StageServices } from '../../shared/stage.ts';
import type { ClaimedJob, JobQueue, LogLine } from '../ports/job-queue.ts';
import { execProgram } from './exec.ts';

export interface ContextDeps {
  queue: JobQueue;
  job: ClaimedJob;
  params: unknown;
  signal: AbortSignal;
  /** Creates the attempt's temp dir on first use. */
  tempDir(): string;
  blobs: StageBlobs;
  services: StageServices;
  /** Minimum time between two progress writes. */
  progressMs: number;
  now: () => number;
  /** Told of every progress write (the runner publishes it). */
  onProgress(fraction: number, message: string): void;
  /** Problems writing to the queue (a lost lease shows up on the next heartbeat). */
  onError(e: unknown): void;
}

export interface AttemptContext {
  ctx: StageContext;
  /** Writes the last progress and log lines; call before settling the job. */
  flush(): Promise<void>;
  /** Stops the timers. */
  close(): void;
}

const MAX_LINE = 8_000;
const MAX_LINES_PER_JOB = 50_000;

export function attemptContext(d: ContextDeps): AttemptContext {
  const { job, queue } = d;
  let lines: LogLine[] = [];
  let written = 0;
  let dropped = 0;
  let pendingProgress: { fraction: number; message: string } | null = null;
  let lastProgressAt = 0;
  let writing: Promise<void> = Promise.resolve();

  const writeOut = () => {
    const batch = lines;
    lines = [];
    const progress = pendingProgress;
    pendingProgress = null;
    if (progress) lastProgressAt = d.now();
    writing = writing.then(async () => {
      try {
        if (batch.length) await queue.appendLog(job.id, job.leaseToken, batch);
        if (progress && (await queue.progress(job.id, job.leaseToken, progress))) d.onProgress(progress.fraction, progress.message);
      } catch (e) {
        d.onError(e);
      }
    });
    return writing;
  };
  // Started by the first line or progress report: a job that reports nothing costs no timer.
  let timer: NodeJS.Timeout | null = null;
  const tick = () => {
    if (timer) return;
    timer = setInterval(() => {
      if (lines.length || pendingProgress) void writeOut();
    }, d.progressMs);
    timer.unref();
  };

  const line = (stream: LogLine['stream'], text: string) => {
    if (written >= MAX_LINES_PER_JOB) return void dropped++;
    written++;
    tick();
    lines.push({ at: d.now(), stream, line: text.length > MAX_LINE ? `${text.slice(0, MAX_LINE)}…` : text });
    if (lines.length >= 500) void writeOut();
  };
  const logAt = (level: string) => (...args: unknown[]) => line('log', `${level === 'info' ? '' : `${level}: `}${formatWithOptions({ colors: false, depth: 4 }, ...args)}`);

  const ctx: StageContext = {
    params: d.params,
    job: { id: job.id, attempt: job.attempts, projectId: job.projectId, runId: job.runId, stepId: job.stepId, userId: job.createdBy },
    signal: d.signal,
    progress(fraction, message = '') {
      if (!Number.isFinite(fraction)) return;
      pendingProgress = { fraction: Math.min(1, Math.max(0, fraction)), message: String(message).slice(0, 500) };
      tick();
      if (d.now() - lastProgressAt >= d.progressMs) void writeOut();
    },
    log: { info: logAt('info'), warn: logAt('warn'), error: logAt('error') },
    blobs: d.blobs,
    services: d.services,
    get tempDir() {
      return d.tempDir();
    },
    exec: (cmd, args, opts) => execProgram({ signal: d.signal, cwd: opts?.cwd ?? d.tempDir(), line }, cmd, args, opts),
  };
  return {
    ctx,
    async flush() {
      if (dropped) lines.push({ at: d.now(), stream: 'log', line: `(${dropped} more log lines dropped: a job keeps at most ${MAX_LINES_PER_JOB})` });
      dropped = 0;
      // Nothing buffered: wait for writes in flight only.
      await (lines.length || pendingProgress ? writeOut() : writing);
    },
    close: () => void (timer && clearInterval(timer)),
  };
}
