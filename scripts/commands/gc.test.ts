// Runs the real `tessera gc` CLI on a temp data directory with real blob files: a dry run, a run
// that deletes an old orphan and keeps a young one, and bad input that exits non-zero with a reason.
import { execFile } from 'node:child_process';
import { existsSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fsBlobStore } from '../../server/adapters/fs/blob-store.ts';
import { openDb } from '../../server/adapters/sqlite/open.ts';
import { tempDir } from '../../server/testing/fixtures.ts';

const repo = fileURLToPath(new URL('../../', import.meta.url));
interface Run { code: number; stdout: string; stderr: string }
const tessera = (...args: string[]) =>
  new Promise<Run>((resolve) => {
    execFile('node', ['scripts/tessera.js', ...args], { cwd: repo, env: { ...process.env, TESSERA_DEBUG: '', TESSERA_DATA: '' } }, (error, stdout, stderr) => {
      resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });

const dir = tempDir();
const fileOf = (sha: string) => join(dir.dir, 'blobs', sha.slice(0, 2), sha);
let oldSha: string;
let youngSha: string;

beforeAll(async () => {
  openDb({ file: join(dir.dir, 'tessera.db') }).$client.close();
  const store = fsBlobStore(join(dir.dir, 'blobs'));
  oldSha = (await store.put(new TextEncoder().encode('left by a crash'))).sha256;
  youngSha = (await store.put(new TextEncoder().encode('an upload in flight'))).sha256;
  const old = new Date(Date.now() - 30 * 3600 * 1000);
  utimesSync(fileOf(oldSha), old, old);
});
afterAll(() => dir.cleanup());

describe('tessera gc', () => {
  it('reports in a dry run, then deletes only the old orphan', async () => {
    const dry = await tessera('gc', '--data', dir.dir, '--dry-run');
    expect(dry).toMatchObject({ code: 0, stderr: '' });
    expect(dry.stdout).toMatch(/would delete 1 blob \(15 bytes\) of 2; kept 1 younger than 24 h/);
    expect(existsSync(fileOf(oldSha))).toBe(true);

    const run = await tessera('gc', '--data', dir.dir);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^deleted 1 blob \(15 bytes\) of 2/);
    expect(existsSync(fileOf(oldSha))).toBe(false);
    expect(existsSync(fileOf(youngSha))).toBe(true);
  });

  it('exits non-zero with a one-line reason for a bad grace period or a folder without a database', async () => {
    const bad = await tessera('gc', '--data', dir.dir, '--grace-hours', '0');
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/--grace-hours must be a number ≥ 1, not "0"/);
    const empty = tempDir();
    try {
      const none = await tessera('gc', '--data', empty.dir);
      expect(none.code).not.toBe(0);
      expect(none.stderr).toMatch(/no Tessera database in/);
      expect(existsSync(join(empty.dir, 'tessera.db'))).toBe(false);
    } finally {
      empty.cleanup();
    }
    expect((await tessera('gc', '--help')).stdout).toMatch(/^usage: tessera gc/);
  });
});
