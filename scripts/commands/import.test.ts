// `tessera import` as a child process against a real server: progress, report, and rejection of a
// bad file before anything is uploaded.
import { spawn } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../server/main.ts';
import { createUser } from '../../server/services/auth.ts';
import { createProject } from '../../server/services/projects.ts';
import { tempDir } from '../../server/testing/fixtures.ts';

const CLI = fileURLToPath(new URL('../tessera.js', import.meta.url));
const FIXTURES = fileURLToPath(new URL('../../../shared/fixtures/interop/', import.meta.url));
const dir = tempDir();
let server: RunningServer;

function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      env: { ...process.env, TESSERA_USER: 'boss', TESSERA_PASSWORD: 'boss-pass', TESSERA_TOKEN: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (b) => (stdout += b));
    child.stderr.on('data', (b) => (stderr += b));
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

const imageCount = () => server.db.$client.prepare('select count(*) from images').pluck().get() as number;

beforeAll(async () => {
  server = await startServer({ port: 0, dataDir: join(dir.dir, 'server'), clientDir: null });
  const boss = await createUser(server.services, { username: 'boss', password: 'boss-pass', isAdmin: true }, null);
  await createProject(server.services, boss, { name: 'cli' });
});
afterAll(async () => {
  await server.close();
  dir.cleanup();
});

describe('tessera import', () => {
  it('uploads a YOLO folder and reports what it imported', async () => {
    const yolo = join(dir.dir, 'yolo');
    mkdirSync(join(yolo, 'labels'), { recursive: true });
    mkdirSync(join(yolo, 'images'), { recursive: true });
    cpSync(join(FIXTURES, '06_lsconv_yolo_classes.txt'), join(yolo, 'classes.txt'));
    cpSync(join(FIXTURES, '07_lsconv_yolo_labels_img_4.txt'), join(yolo, 'labels/img_4.txt'));
    writeFileSync(join(yolo, 'labels/img_5.txt'), '');
    await sharp({ create: { width: 640, height: 494, channels: 3, background: '#123456' } }).png().toFile(join(yolo, 'images/img_4.png'));
    await sharp({ create: { width: 320, height: 240, channels: 3, background: '#654321' } }).jpeg().toFile(join(yolo, 'images/img_5.jpg'));

    const r = await run(['import', '--server', server.url, '--project', 'cli', '--format', 'yolo', yolo]);
    expect(r.stderr).toContain('uploading images');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('imported 4 shapes into 1 images of "cli"');
    // Only the classes the labels use (opened_door is declared but unused), in classes.txt order.
    expect(r.stdout).toContain('created label classes: closed_door, bus, number');
    expect(imageCount()).toBe(2);

    const again = await run(['import', '--server', server.url, '--project', 'cli', '--format', 'yolo', yolo]);
    expect(again.code).toBe(0);
    expect(again.stderr).toContain('0 new, 2 already in "cli"');
    expect(again.stdout).toContain('img_4.png: already has 4 shapes');
  });

  it('rejects a bad COCO file with file and position before uploading anything', async () => {
    const coco = join(dir.dir, 'coco');
    mkdirSync(coco, { recursive: true });
    const text = JSON.parse(readFileSync(join(FIXTURES, '01_datumaro_coco_instances_val.json'), 'utf8'));
    text.annotations[0].category_id = 99;
    writeFileSync(join(coco, 'instances.json'), JSON.stringify(text, null, 1));
    await sharp({ create: { width: 5, height: 10, channels: 3, background: '#000000' } }).jpeg().toFile(join(coco, 'b.jpg'));
    const before = imageCount();
    const r = await run(['import', '--server', server.url, '--project', 'cli', '--format', 'coco', join(coco, 'instances.json')]);
    expect(r.code).not.toBe(0);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/instances\.json: annotations\[0\]\.category_id: .*99/);
    expect(imageCount()).toBe(before);
  });

  it('explains what is missing', async () => {
    const r = await run(['import', '--server', server.url, '--format', 'coco', 'x.json']);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('usage: tessera import');
    const bad = await run(['import', '--server', server.url, '--project', 'nope', '--format', 'coco', join(FIXTURES, '01_datumaro_coco_instances_val.json')]);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain('no project "nope"');
  });
});
