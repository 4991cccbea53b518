// Loading user stages from folders: the example in stages/ loads and runs; broken files are
// reported by name and do not stop the others.
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, expect, it } from 'vitest';
import { tempDir } from '../testing/fixtures.ts';
import { loadStageDir } from './loader.ts';
import { stageRegistry } from './registry.ts';
import { fsStageFiles } from '../adapters/fs/stage-files.ts';
import { sha256File } from '../testing/jobs.ts';
import { createRunner } from './runner.ts';
import { noResources } from '../testing/jobs.ts';
import { sqliteJobQueue } from '../adapters/sqlite/job-queue.ts';

const files = fsStageFiles();
import { tempDb } from '../testing/fixtures.ts';
import type { Job } from '../ports/job-queue.ts';

const STAGES = resolve(fileURLToPath(import.meta.url), '../../../stages');
let cleanups: Array<() => void> = [];
afterEach(() => {
  cleanups.forEach((c) => c());
  cleanups = [];
});

it('reports broken stage files by name and still loads the good ones', async () => {
  const t = tempDir();
  cleanups.push(t.cleanup);
  writeFileSync(join(t.dir, 'syntax.ts'), 'export default defineStage({ name: ');
  writeFileSync(join(t.dir, 'not-a-stage.js'), 'export default 42;\n');
  writeFileSync(join(t.dir, 'throws.mjs'), "throw new Error('cannot start: missing model file');\n");
  writeFileSync(join(t.dir, 'helper.test.ts'), 'this is a test file and is not loaded');
  writeFileSync(join(t.dir, 'README.md'), 'not code');
  const registry = stageRegistry(files);
  const bad = await loadStageDir(files, t.dir, registry);
  expect(bad.loaded).toEqual([]);
  expect(bad.problems.map((p) => p.file.split('/').pop())).toEqual(['not-a-stage.js', 'syntax.ts', 'throws.mjs']);
  expect(bad.problems[0].message).toBe('the file must default-export one stage (export default defineStage({...}))');
  expect(bad.problems[2].message).toContain('missing model file');
  const good = await loadStageDir(files, STAGES, registry);
  expect(good).toEqual({ loaded: ['class-balance'], problems: [] });
  const missing = await loadStageDir(files, join(t.dir, 'nope'), registry);
  expect(missing.problems[0].message).toMatch(/^cannot read the stage folder/);
});

it('runs a user stage loaded from a folder, recording the SHA-256 of its file', async () => {
  const db = tempDb();
  cleanups.push(db.cleanup);
  const registry = stageRegistry(files);
  await loadStageDir(files, STAGES, registry);
  const queue = sqliteJobQueue(db.db);
  let settle!: (j: Job) => void;
  const settled = new Promise<Job>((r) => (settle = r));
  const runner = createRunner({ queue, stages: registry, resources: noResources, log: () => {}, onJob: (j, c) => void (c === 'settled' && settle(j)) });
  runner.start();
  const { job } = await queue.enqueue({ stage: 'class-balance', input: { classes: [{ name: 'a', shapes: 1 }, { name: 'b', shapes: 3 }] } });
  runner.wake();
  const done = await settled;
  await runner.stop();
  expect(done).toMatchObject({ state: 'succeeded', stageVersion: '1', result: { total: 4, over: ['b'], under: [] } });
  expect(done.stageSourceSha).toBe(sha256File(join(STAGES, 'class-balance.ts')));
});
