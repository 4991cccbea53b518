// `tessera run` against a real server: an invalid pipeline prints each problem by path and exits 1
// starting nothing; --watch follows a run to the end (exit 0), and a failing run exits 1 naming the
// error; the real command, as a child process, exits with that code once the run is over.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { startServer, type RunningServer } from '../../server/main.ts';
import { seedProject, tempDir, type SeededProject } from '../../server/testing/fixtures.ts';
import { main } from '../cli.ts';

const CLI = fileURLToPath(new URL('../tessera.js', import.meta.url));
const TEST_STAGES = fileURLToPath(new URL('../../server/jobs/test-stages/', import.meta.url));
let server: RunningServer;
let s: SeededProject;
const dir = tempDir();

beforeAll(async () => {
  server = await startServer({ port: 0, dataDir: join(dir.dir, 'data'), clientDir: null, quiet: true, stageDirs: [TEST_STAGES] });
  s = seedProject(server.db);
  process.env.TESSERA_TOKEN = s.tokens.engineer;
});
afterAll(async () => {
  delete process.env.TESSERA_TOKEN;
  await server.close();
  dir.cleanup();
});

async function cli(...args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const log = vi.spyOn(console, 'log').mockImplementation((...a) => void out.push(a.join(' ')));
  const error = vi.spyOn(console, 'error').mockImplementation((...a) => void err.push(a.join(' ')));
  try {
    const code = await main(args);
    return { code, out: out.join('\n'), err: err.join('\n') };
  } finally {
    log.mockRestore();
    error.mockRestore();
  }
}

it('rejects an invalid pipeline file with the path of each problem and starts nothing', async () => {
  const file = join(dir.dir, 'bad.yaml');
  writeFileSync(file, 'name: bad\nstages:\n  - { id: a, uses: append, with: { file: 7 } }\n');
  const r = await cli('run', '--server', server.url, `--project=${s.projectId}`, file);
  expect(r.code).toBe(1);
  expect(r.err).toContain(`${file}: stages[0].with.file: expected string`);
  expect((await server.jobs.queue.list({})).items).toEqual([]);
});

it('--watch follows a run to success (exit 0) and a failing run to exit 1 with its error', async () => {
  const effects = join(dir.dir, 'effects.txt');
  const good = join(dir.dir, 'good.yaml');
  writeFileSync(good, `name: good\nstages:\n  - { id: one, uses: append, with: { file: ${JSON.stringify(effects)} } }\n  - { id: two, uses: append, needs: [one], with: { file: ${JSON.stringify(effects)} } }\n`);
  const ok = await cli('run', '--server', server.url, `--project=${s.projectId}`, '--watch', good);
  // Not a terminal: one line per state change of each step, in order.
  expect(ok.err.split('\n').filter((l) => /^one\s/.test(l)).map((l) => l.trim().split(/\s+/).slice(2).join(' '))).toEqual(['running', 'succeeded']);
  expect(ok.code).toBe(0);
  expect(ok.out).toMatch(/run \S+ succeeded$/);
  const bad = join(dir.dir, 'fail.json');
  writeFileSync(bad, JSON.stringify({ name: 'fails', stages: [{ id: 'boom', uses: 'fail' }, { id: 'after', uses: 'append', needs: ['boom'], with: { file: effects } }] }));
  const failed = await cli('run', '--server', server.url, `--project=${s.projectId}`, '--watch', bad);
  expect(failed.code).toBe(1);
  expect(failed.out).toMatch(/boom\s+failed/);
  expect(failed.out).toMatch(/after\s+skipped/);
  expect(failed.err).toContain('boom: fail: this stage always fails');
});

it('the real command exits after --watch prints the final status, with the run\'s exit code (the event stream does not keep it alive)', async () => {
  const effects = join(dir.dir, 'effects-child.txt');
  const good = join(dir.dir, 'good-child.yaml');
  writeFileSync(good, `name: good-child\nstages:\n  - { id: one, uses: append, with: { file: ${JSON.stringify(effects)} } }\n`);
  const bad = join(dir.dir, 'fail-child.yaml');
  writeFileSync(bad, 'name: fails-child\nstages:\n  - { id: boom, uses: fail }\n');
  const invalid = join(dir.dir, 'bad-child.yaml');
  writeFileSync(invalid, 'name: bad\nstages:\n  - { id: a, uses: append, with: { file: 7 } }\n');
  const run = async (file: string) => {
    const child = spawn(process.execPath, [CLI, 'run', '--server', server.url, '--project', s.projectId, '--watch', file], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, TESSERA_TOKEN: s.tokens.engineer } });
    let out = '';
    let err = '';
    child.stdout.on('data', (b: Buffer) => (out += b.toString()));
    child.stderr.on('data', (b: Buffer) => (err += b.toString()));
    const [code] = (await once(child, 'exit')) as [number | null];
    return { code, out, err };
  };
  const ok = await run(good);
  expect(ok.out).toMatch(/run \S+ succeeded\n$/);
  expect(ok.code).toBe(0);
  const failed = await run(bad);
  expect(failed.out).toMatch(/run \S+ failed\n$/);
  expect(failed.code).toBe(1);
  // Refused before anything ran, with the stream already open.
  const refused = await run(invalid);
  expect(refused.err).toContain('stages[0].with.file: expected string');
  expect(refused.code).toBe(1);
});
