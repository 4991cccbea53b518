// Forks a bench server process (its RSS is its own) and talks to it over IPC: it sends
// `{ready: url}` once listening, then answers `{id, cmd, arg}` with `{id, result}`. The child's
// side of that is `answerCommands`. Every child — ours and the peers — runs as its users run it:
// plain JavaScript under plain Node, bundled by the bundler of `tessera serve`
// (scripts/cli-bundle.js: packages loaded by Node, sources' import.meta.url their own), cached in
// node_modules/.cache/tessera-bench/.
import { fork } from 'node:child_process';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundle } from '../../scripts/cli-bundle.js';
import type { Ask } from './util.ts';

const CACHE = fileURLToPath(new URL('../../node_modules/.cache/tessera-bench/', import.meta.url));
/** How the children run, for the bench's header and JSON. */
export const CHILD_RUNTIME = `esbuild bundles under plain node ${process.version} (as tessera serve runs)`;

export interface BenchChild {
  url: string;
  ask: Ask;
  stop(): Promise<void>;
}

export async function forkChild(script: string, args: string[], env: Record<string, string> = {}): Promise<BenchChild> {
  // BENCH_CHILD_ARGS adds Node flags to the children (e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`).
  const extra = process.env.BENCH_CHILD_ARGS?.split(' ').filter(Boolean) ?? [];
  const file = await bundle({ file: join(CACHE, basename(script).replace(/\.ts$/, '.mjs')), entry: script });
  const child = fork(file, args, { execArgv: extra, env: { ...process.env, ...env } });
  let nextId = 1;
  const pending = new Map<number, (v: unknown) => void>();
  const url = await new Promise<string>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`${script} exited with ${code} before it was ready`)));
    child.on('message', (m: { ready?: string; id?: number; result?: unknown }) => {
      if (m.ready) resolve(m.ready);
      else if (m.id) (pending.get(m.id)!(m.result), pending.delete(m.id));
    });
  });
  const ask: Ask = <T>(cmd: string, arg?: string) =>
    new Promise<T>((resolve) => {
      const id = nextId++;
      pending.set(id, resolve as (v: unknown) => void);
      child.send({ id, cmd, arg });
    });
  return {
    url,
    ask,
    async stop() {
      child.removeAllListeners('exit');
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/** In a child: answers the parent's commands with `handlers`, exits cleanly on SIGTERM (a --cpu-prof profile is written) and when the parent is gone, says it is ready at `url`. */
export function answerCommands(handlers: Record<string, (arg?: string) => unknown>, url: string): void {
  process.on('message', (m: { id: number; cmd: string; arg?: string }) =>
    void Promise.resolve(handlers[m.cmd](m.arg)).then((result) => process.send!({ id: m.id, result })));
  process.once('SIGTERM', () => process.exit(0));
  // The bench that forked it is gone (it crashed or was killed): nothing would ever stop this child.
  process.once('disconnect', () => process.exit(0));
  process.send!({ ready: url });
}
