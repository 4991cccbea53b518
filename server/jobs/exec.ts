// ctx.exec: runs a program without a shell, streams its stdout/stderr to the job log line by
// line, checks the exit code, and kills it (SIGTERM, then SIGKILL) when the job is aborted.
import { spawn } from 'node:child_process';
import { StageError, type ExecOptions, type ExecResult } from '../../shared/stage.ts';

const KEEP = 1 << 20; // the last MiB of each stream is returned to the stage
const KILL_GRACE_MS = 2_000;

export interface ExecDeps {
  signal: AbortSignal;
  cwd: string;
  line(stream: 'stdout' | 'stderr', text: string): void;
}

export function execProgram(deps: ExecDeps, cmd: string, args: readonly string[], opts: ExecOptions = {}): Promise<ExecResult> {
  if (deps.signal.aborted) return Promise.reject(deps.signal.reason);
  return new Promise((resolvePromise, reject) => {
    const env: Record<string, string> = {};
    for (const k of ['PATH', 'HOME', 'LANG', 'TMPDIR', 'SYSTEMROOT']) if (process.env[k] !== undefined) env[k] = process.env[k]!;
    const child = spawn(cmd, [...args], { cwd: opts.cwd ?? deps.cwd, env: { ...env, ...opts.env }, stdio: ['pipe', 'pipe', 'pipe'], shell: false });
    const out = { stdout: '', stderr: '' };
    const pending = { stdout: '', stderr: '' };
    const take = (stream: 'stdout' | 'stderr') => (chunk: Buffer) => {
      const text = chunk.toString('utf8');
      out[stream] = (out[stream] + text).slice(-KEEP);
      const lines = (pending[stream] + text).split('\n');
      pending[stream] = lines.pop()!;
      for (const l of lines) deps.line(stream, l.replace(/\r$/, ''));
    };
    child.stdout.on('data', take('stdout'));
    child.stderr.on('data', take('stderr'));
    let killTimer: NodeJS.Timeout | undefined;
    let timedOut = false;
    const onAbort = () => {
      if (killTimer) return;
      child.kill('SIGTERM');
      killTimer = setTimeout(() => child.kill('SIGKILL'), KILL_GRACE_MS);
      killTimer.unref();
    };
    deps.signal.addEventListener('abort', onAbort, { once: true });
    const limit = opts.timeoutMs === undefined ? undefined : setTimeout(() => ((timedOut = true), onAbort()), opts.timeoutMs);
    child.on('error', (e: NodeJS.ErrnoException) => {
      deps.signal.removeEventListener('abort', onAbort);
      clearTimeout(limit);
      reject(new StageError(e.code === 'ENOENT' ? `${cmd}: program not found` : `${cmd}: ${e.message}`, { code: 'exec', retryable: false }));
    });
    child.on('close', (code, signal) => {
      deps.signal.removeEventListener('abort', onAbort);
      clearTimeout(killTimer);
      clearTimeout(limit);
      for (const s of ['stdout', 'stderr'] as const) if (pending[s]) deps.line(s, pending[s]);
      if (deps.signal.aborted) return reject(deps.signal.reason);
      if (timedOut) return reject(new StageError(`${cmd}: did not finish within ${opts.timeoutMs} ms and was stopped`, { code: 'timeout', retryable: false }));
      if (code === 0) return resolvePromise(out);
      const tail = out.stderr.trim().split('\n').slice(-3).join(' | ');
      const how = code !== null ? `exited with code ${code}` : `was killed by ${signal}`;
      reject(new StageError(`${[cmd, ...args].join(' ')} ${how}${tail ? `: ${tail}` : ''}`, { code: 'exit_code' }));
    });
    if (opts.stdin !== undefined) child.stdin.end(opts.stdin);
    else child.stdin.end();
  });
}
