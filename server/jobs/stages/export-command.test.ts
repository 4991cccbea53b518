// The `export` and `command` stages on a small project: COCO files as blobs; an existing Python
// script run shell-free on an exported copy, its output files kept and a non-zero exit named.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { addShape } from '../../../shared/doc/index.ts';
import { docName, type ImageId, type ProjectId, type UserId } from '../../../shared/ids.ts';
import type { BlobStore } from '../../ports/blob-store.ts';
import type { ServiceDeps } from '../../services/deps.ts';
import type { DocWriter } from '../../services/doc-writer.ts';
import { createClass } from '../../services/classes.ts';
import { seedProject, tempDir } from '../../testing/fixtures.ts';
import { jobHarness, realResources, type JobHarness } from '../../testing/jobs.ts';
import { fsStageFiles } from '../../adapters/fs/stage-files.ts';
import { commandStage } from './command.ts';
import exportStage from './export.ts';

let h: JobHarness;
let cleanup = () => {};
afterEach(async () => {
  await h.close();
  cleanup();
});

async function setup() {
  let docs!: DocWriter;
  let svc!: ServiceDeps;
  let blobRoot!: BlobStore;
  h = jobHarness([commandStage(fsStageFiles()), exportStage], new URL('./command.ts', import.meta.url).href, {
    resourcesFor: (db, blobs) => ((blobRoot = blobs), realResources((d, sv) => ((docs = d), (svc = sv)))(db, blobs)),
  });
  const s = seedProject(h.db);
  const car = await createClass(svc, s.users.manager.id as UserId, s.projectId as ProjectId, { name: 'car', color: '#ff0000' });
  await docs.change(docName('ann', s.images.assigned as ImageId), s.users.annotator.id, (doc) => {
    addShape(doc, { kind: 'box', label: car.id, points: [1, 2, 30, 40] }, { author: s.users.annotator.id });
  });
  const run = async (stage: string, params: unknown) => {
    const { job } = await h.queue.enqueue({ stage, params, projectId: s.projectId, createdBy: s.users.engineer.id, maxAttempts: 1 });
    h.runner.wake();
    return h.settled(job.id);
  };
  const text = async (sha: string) => new TextDecoder().decode(new Uint8Array(await new Response((await blobRoot.get(sha))!).arrayBuffer()));
  return { run, text };
}

it('export writes the project as COCO through the landed converter', async () => {
  const { run, text } = await setup();
  const done = await run('export', { format: 'coco' });
  expect(done.state, JSON.stringify(done.errors)).toBe('succeeded');
  const out = done.result as { files: { name: string; sha256: string }[] };
  expect(out.files.map((f) => f.name)).toEqual(['annotations.json']);
  const coco = JSON.parse(await text(out.files[0].sha256));
  expect(coco.categories.map((c: { name: string }) => c.name)).toEqual(['car']);
  expect(coco.annotations.map((a: { bbox: number[] }) => a.bbox)).toEqual([[1, 2, 30, 40]]);
});

it('command runs a script without a shell on an exported copy and keeps what it wrote', async () => {
  const { run, text } = await setup();
  const t = tempDir();
  cleanup = t.cleanup;
  writeFileSync(
    join(t.dir, 'clean.py'),
    'import json, os, sys\nsrc, out = sys.argv[1], sys.argv[2]\nd = json.load(open(os.path.join(src, "annotations.json")))\nprint("boxes:", len(d["annotations"]))\nopen(os.path.join(out, "count.txt"), "w").write(str(len(d["annotations"])))\n',
  );
  const done = await run('command', { run: ['python3', 'clean.py', '{input}', '{output}'], cwd: t.dir });
  expect(done.state, JSON.stringify(done.errors)).toBe('succeeded');
  const out = done.result as { stdout: string; files: { name: string; sha256: string }[] };
  expect(out.stdout).toBe('boxes: 1\n');
  expect(out.files.map((f) => f.name)).toEqual(['count.txt']);
  expect(await text(out.files[0].sha256)).toBe('1');
  expect((await h.queue.log(done.id)).map((l) => `${l.stream}:${l.line}`)).toContain('stdout:boxes: 1');
  const failing = await run('command', { run: ['python3', '-c', 'import sys; print("bad input", file=sys.stderr); sys.exit(4)'] });
  expect(failing.state).toBe('dead');
  expect(failing.errors[0].message).toMatch(/exited with code 4: bad input$/);
});

it('command keeps only the files its program wrote (a link in {output} to a server file is not followed) and stops a program past its timeout', async () => {
  const { run, text } = await setup();
  const linked = await run('command', {
    run: ['python3', '-c', 'import os, sys; out = sys.argv[1]; open(os.path.join(out, "mine.txt"), "w").write("ok"); os.symlink("/etc/passwd", os.path.join(out, "passwd"))', '{output}'],
  });
  expect(linked.state, JSON.stringify(linked.errors)).toBe('succeeded');
  const files = (linked.result as { files: { name: string; sha256: string }[] }).files;
  expect(files.map((f) => f.name)).toEqual(['mine.txt']);
  expect(await text(files[0].sha256)).toBe('ok');
  const slow = await run('command', { run: ['python3', '-c', 'import time; time.sleep(60)'], timeoutMs: 300 });
  expect(slow).toMatchObject({ state: 'failed', errors: [{ code: 'timeout', message: 'python3: did not finish within 300 ms and was stopped' }] });
});
