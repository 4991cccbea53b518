// ctx.exec's limits on their own: a program past its timeout is killed (not left running) and the
// failure names the limit; one that finishes in time is unaffected.
import { expect, it } from 'vitest';
import { StageError } from '../../shared/stage.ts';
import { execProgram } from './exec.ts';

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

it('kills a program that outlives timeoutMs and fails naming the limit; a quick one is unaffected', async () => {
  const lines: string[] = [];
  const deps = { signal: new AbortController().signal, cwd: process.cwd(), line: (_s: string, l: string) => void lines.push(l) };
  const err = await execProgram(deps, process.execPath, ['-e', 'console.log(process.pid); setInterval(() => {}, 1000)'], { timeoutMs: 300 }).catch((e) => e);
  expect(err).toBeInstanceOf(StageError);
  expect(err).toMatchObject({ code: 'timeout', retryable: false, message: `${process.execPath}: did not finish within 300 ms and was stopped` });
  const pid = Number(lines[0]);
  expect(pid).toBeGreaterThan(0);
  expect(alive(pid)).toBe(false);
  await expect(execProgram(deps, process.execPath, ['-e', 'console.log("done")'], { timeoutMs: 10_000 })).resolves.toMatchObject({ stdout: 'done\n' });
});
