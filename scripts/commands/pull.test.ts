// `tessera pull` as a child process against a real server on port 0 (behind a logging proxy, the
// "server's log"): identical trees twice, a SIGKILL midway resumed without re-fetching a verified
// blob, a corrupted blob named and nothing written, a server dropping the connection mid-blob and a
// full disk (ENOSPC from /dev/full) each failing with one line and no tree, re-import of every
// format through `tessera convert`, and refusals with a one-line reason.
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseManifest } from '../../shared/release/index.ts';
import { cutRelease } from '../../server/services/releases.ts';
import { tempDir } from '../../server/testing/fixtures.ts';
import { every, until } from '../../server/testing/wait.ts';
import { startHttpLogProxy, type HttpLogProxy } from '../../server/testing/http-log-proxy.ts';
import { releaseServer, type ReleaseServer } from '../../server/testing/release-server.ts';

const CLI = fileURLToPath(new URL('../tessera.js', import.meta.url));
const dir = tempDir('tessera-pull-');
let rs: ReleaseServer;
let proxy: HttpLogProxy;

function start(args: string[]): { child: ChildProcess; done: Promise<{ code: number | null; signal: string | null; stdout: string; stderr: string }> } {
  const child = spawn(process.execPath, [CLI, ...args], { env: { ...process.env, TESSERA_TOKEN: rs.token, TESSERA_USER: '', XDG_CACHE_HOME: join(dir.dir, 'xdg') }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (b) => (stdout += b));
  child.stderr!.on('data', (b) => (stderr += b));
  const done = new Promise<{ code: number | null; signal: string | null; stdout: string; stderr: string }>((resolve) => child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr })));
  return { child, done };
}
const run = (args: string[]) => start(args).done;
const pull = (ref: string, out: string, format = 'coco', extra: string[] = []) =>
  run(['pull', '--server', proxy.url, `rel@${ref}`, '--format', format, '--out', join(dir.dir, out), '--cache', join(dir.dir, 'cache'), ...extra]);

function treeHash(root: string): string {
  const h = createHash('sha256');
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else h.update(`${relative(root, p)}\0${createHash('sha256').update(readFileSync(p)).digest('hex')}\n`);
    }
  };
  walk(root);
  return h.digest('hex');
}
const blobsRequested = (from: number) => proxy.log.slice(from).filter((e) => /\/blobs\//.test(e.path)).map((e) => ({ sha: e.path.split('/').pop()!, range: e.range }));
const cachedBlobs = () => {
  const root = join(dir.dir, 'cache', 'blobs');
  return existsSync(root) ? readdirSync(root).flatMap((d) => readdirSync(join(root, d))) : [];
};

beforeAll(async () => {
  rs = await releaseServer(dir.dir, { count: 24, side: 160 });
  await cutRelease(rs.server.releases, rs.adminId, rs.projectId, { notes: 'for pull' });
  proxy = await startHttpLogProxy(rs.server.url);
}, 120_000);
afterAll(async () => {
  await proxy?.close();
  await rs?.close();
  dir.cleanup();
});

describe('tessera release', () => {
  it('answers an unchanged approved state with the existing release, and refuses a bad split', async () => {
    const r = await run(['release', '--server', proxy.url, '--project', 'rel', '--notes', 'again']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^unchanged: the approved state is rel@1 \([0-9a-f]{64}\) already; 0 with edits since approval/);
    const bad = await run(['release', '--server', proxy.url, '--project', 'rel', '--split', '0,0,0']);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/add up to 0/);
  }, 60_000);
});

describe('tessera pull', () => {
  it('resumes after a SIGKILL midway, re-fetching no verified blob; twice gives identical trees', async () => {
    proxy.stallAfter = 8;
    const first = start(['pull', '--server', proxy.url, 'rel@1', '--format', 'coco', '--out', join(dir.dir, 'a'), '--cache', join(dir.dir, 'cache'), '--connections', '4']);
    await proxy.stalled(1);
    // Kill once the stalled download's own .part file holds the half the proxy let through (other
    // .part files may be whole ones about to be renamed, which a rerun verifies without a Range).
    const partial = join(dir.dir, 'cache', 'partial');
    const stalledHalf = () =>
      proxy.log.some((e) => {
        const sha = e.path.split('?')[0].split('/').pop()!;
        const part = join(partial, `${sha}.part`);
        return !e.complete && e.sent > 0 && /\/blobs\/[0-9a-f]{64}$/.test(e.path.split('?')[0]) && existsSync(part) && statSync(part).size >= e.sent;
      });
    await until(stalledHalf, [every(20)], 30_000, "the stalled blob's .part file with its first half");
    first.child.kill('SIGKILL');
    const killed = await first.done;
    expect(killed.signal).toBe('SIGKILL');
    expect(existsSync(join(dir.dir, 'a'))).toBe(false); // no partial tree
    proxy.release();
    proxy.stallAfter = Infinity;
    const verified = new Set(cachedBlobs());
    expect(verified.size).toBeGreaterThanOrEqual(1);
    const from = proxy.log.length;
    const again = await pull('1', 'a');
    expect(again.code, again.stderr).toBe(0);
    const refetched = blobsRequested(from).filter((b) => verified.has(b.sha));
    expect(refetched, 'verified blobs fetched again').toEqual([]);
    expect(blobsRequested(from).some((b) => b.range !== null), 'a .part file resumed with Range').toBe(true);
    expect(again.stdout).toMatch(/pulled rel@1 \([0-9a-f]{12}\): 24 images/);

    const fromB = proxy.log.length;
    const twice = await pull('latest', 'b');
    expect(twice.code, twice.stderr).toBe(0);
    expect(blobsRequested(fromB)).toEqual([]); // everything from the cache
    expect(treeHash(join(dir.dir, 'b'))).toBe(treeHash(join(dir.dir, 'a')));
    const manifest = readFileSync(join(dir.dir, 'a', 'manifest.json'));
    expect(createHash('sha256').update(manifest).digest('hex')).toBe(rs.server.db.$client.prepare('select id from releases where number = 1').pluck().get());
    expect(readdirSync(join(dir.dir, 'a', 'images'))).toHaveLength(24);
  }, 120_000);

  it('re-imports pulled COCO, YOLO and VOC through tessera convert to the same boxes', async () => {
    const m = parseManifest(readFileSync(join(dir.dir, 'a', 'manifest.json'), 'utf8'));
    if (!m.ok) throw new Error(m.error);
    const names = new Map(m.value.categories.map((c) => [c.id, c.name]));
    const want = m.value.images
      .flatMap((im) => im.shapes.map((s) => `${im.fileName} ${names.get(s.label)} ${s.points.map((v) => v.toFixed(3)).join(',')}`))
      .sort();
    for (const [format, input] of [['coco', 'annotations.json'], ['yolo', ''], ['voc', 'Annotations']] as const) {
      const r = await pull('1', `f-${format}`, format);
      expect(r.code, r.stderr).toBe(0);
      const back = await run(['convert', '--from', format, '--to', 'coco', join(dir.dir, `f-${format}`, input), join(dir.dir, `back-${format}`)]);
      expect(back.code, back.stderr).toBe(0);
      const coco = JSON.parse(readFileSync(join(dir.dir, `back-${format}`, 'annotations.json'), 'utf8')) as {
        images: { id: number; file_name: string }[];
        categories: { id: number; name: string }[];
        annotations: { image_id: number; category_id: number; bbox: number[] }[];
      };
      const file = new Map(coco.images.map((i) => [i.id, i.file_name.split('/').pop()]));
      const cat = new Map(coco.categories.map((c) => [c.id, c.name]));
      const got = coco.annotations.map((a) => `${file.get(a.image_id)} ${cat.get(a.category_id)} ${a.bbox.map((v) => v.toFixed(3)).join(',')}`).sort();
      expect(got, format).toEqual(want);
    }
  }, 120_000);

  it('refuses bad refs, formats and a non-empty folder with one line, writing nothing', async () => {
    const bad = await pull('99', 'x1');
    expect(bad.code).not.toBe(0);
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
    expect(bad.stderr).toMatch(/no release 99/);
    const fmt = await pull('1', 'x2', 'tfrecord');
    expect(fmt.code).not.toBe(0);
    expect(fmt.stderr).toMatch(/--format must be one of coco, yolo, voc/);
    const spec = await run(['pull', '--server', proxy.url, 'rel', '--format', 'coco', '--out', join(dir.dir, 'x3')]);
    expect(spec.code).not.toBe(0);
    expect(spec.stderr).toMatch(/expected PROJECT@N/);
    mkdirSync(join(dir.dir, 'full'));
    writeFileSync(join(dir.dir, 'full', 'keep.txt'), 'mine');
    const full = await pull('1', 'full');
    expect(full.code).not.toBe(0);
    expect(full.stderr).toMatch(/is not empty; remove it or pass --force/);
    expect(readdirSync(join(dir.dir, 'full'))).toEqual(['keep.txt']);
    for (const d of ['x1', 'x2', 'x3']) expect(existsSync(join(dir.dir, d))).toBe(false);
  }, 60_000);

  /** Every blob in a cache is stored under its own SHA-256 and hashes to it. */
  const onlyVerified = (cache: string) => {
    const root = join(cache, 'blobs');
    const files = existsSync(root) ? readdirSync(root).flatMap((d) => readdirSync(join(root, d)).map((f) => join(root, d, f))) : [];
    for (const f of files) expect(createHash('sha256').update(readFileSync(f)).digest('hex'), f).toBe(f.split('/').pop());
    return files.map((f) => f.split('/').pop()!);
  };

  it('a server that drops the connection mid-blob: one line naming the file, no tree, only verified blobs cached; then completes', async () => {
    const victim = rs.images[7];
    const cache = join(dir.dir, 'cache-drop');
    proxy.drop.add(victim.sha256);
    const before = proxy.log.length;
    try {
      const r = await run(['pull', '--server', proxy.url, 'rel@1', '--format', 'coco', '--out', join(dir.dir, 'dropped'), '--cache', cache]);
      expect(r.code).not.toBe(0);
      // Progress lines, then one line with the reason.
      const reasons = r.stderr.trim().split('\n').filter((l) => l.startsWith('tessera pull:'));
      expect(reasons, r.stderr).toHaveLength(1);
      expect(r.stderr.trim().split('\n').at(-1)).toBe(reasons[0]);
      expect(reasons[0]).toContain(victim.fileName);
      expect(existsSync(join(dir.dir, 'dropped'))).toBe(false);
      expect(onlyVerified(cache)).not.toContain(victim.sha256);
    } finally {
      proxy.drop.delete(victim.sha256);
    }
    // Each retry resumed from where the dropped one stopped; the .part file keeps what arrived.
    const firstRun = blobsRequested(before).filter((b) => b.sha === victim.sha256);
    expect(firstRun.length, 'the first try and its retries').toBeGreaterThan(1);
    expect(firstRun[0].range).toBeNull();
    for (const b of firstRun.slice(1)) expect(b.range).toMatch(/^bytes=[1-9]\d*-$/);
    const kept = statSync(join(cache, 'partial', `${victim.sha256}.part`)).size;
    expect(kept).toBeGreaterThan(0);
    const from = proxy.log.length;
    const again = await run(['pull', '--server', proxy.url, 'rel@1', '--format', 'coco', '--out', join(dir.dir, 'dropped'), '--cache', cache]);
    expect(again.code, again.stderr).toBe(0);
    // Nothing verified was fetched again: the victim once, resumed at the byte where the dropped
    // connection stopped; the others only if the failed pull had not finished them.
    const fetched = blobsRequested(from);
    expect(fetched.filter((b) => b.sha === victim.sha256)).toEqual([{ sha: victim.sha256, range: `bytes=${kept}-` }]);
    expect(fetched.filter((b) => b.sha !== victim.sha256).length).toBeLessThan(rs.images.length - 1);
    expect(onlyVerified(cache)).toContain(victim.sha256);
  }, 60_000);

  it('a full disk while writing a blob (ENOSPC from /dev/full): one line saying so, no tree, nothing unverified cached', async () => {
    const victim = rs.images[3];
    const cache = join(dir.dir, 'cache-full');
    // The CLI writes each download to partial/<sha>.part: here that name leads to /dev/full, where every write fails with ENOSPC.
    mkdirSync(join(cache, 'partial'), { recursive: true });
    symlinkSync('/dev/full', join(cache, 'partial', `${victim.sha256}.part`));
    const r = await run(['pull', '--server', proxy.url, 'rel@1', '--format', 'yolo', '--out', join(dir.dir, 'full-disk'), '--cache', cache]);
    expect(r.code).not.toBe(0);
    const reasons = r.stderr.trim().split('\n').filter((l) => l.startsWith('tessera pull:'));
    expect(reasons, r.stderr).toHaveLength(1);
    expect(r.stderr.trim().split('\n').at(-1)).toBe(reasons[0]);
    expect(reasons[0]).toMatch(new RegExp(`${victim.fileName}.*no space left on the disk`));
    expect(existsSync(join(dir.dir, 'full-disk'))).toBe(false);
    expect(onlyVerified(cache)).not.toContain(victim.sha256);
  }, 60_000);

  it('fails naming the file when a blob on the server is corrupted, leaving no output and nothing unverified in the cache', async () => {
    const victim = rs.images[5];
    const file = join(rs.server.config.dataDir, 'blobs', victim.sha256.slice(0, 2), victim.sha256);
    const bytes = readFileSync(file);
    bytes[bytes.length >> 1] ^= 0xff;
    writeFileSync(file, bytes);
    const fresh = join(dir.dir, 'cache2');
    const r = await run(['pull', '--server', proxy.url, 'rel@1', '--format', 'voc', '--out', join(dir.dir, 'bad'), '--cache', fresh]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain(victim.fileName);
    expect(r.stderr).toMatch(/do not match the release/);
    expect(existsSync(join(dir.dir, 'bad'))).toBe(false);
    expect(existsSync(join(fresh, 'blobs', victim.sha256.slice(0, 2), victim.sha256))).toBe(false);
    bytes[bytes.length >> 1] ^= 0xff;
    writeFileSync(file, bytes);
  }, 60_000);
});
