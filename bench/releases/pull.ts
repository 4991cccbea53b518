// Pulling 2,000 images of ~100 KB from a local server: `tessera pull` (a child process, fresh
// cache) beside a plain parallel GET of the same blob URLs with the same connection count and the
// same transport (node:http, keep-alive; a child process too, so both pay a process start), and a pull killed at 50% then run again, counting
// the verified blobs it fetched a second time (from a logging proxy's record).
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cutRelease } from '../../server/services/releases.ts';
import { tempDir } from '../../server/testing/fixtures.ts';
import { startHttpLogProxy } from '../../server/testing/http-log-proxy.ts';
import { releaseServer } from '../../server/testing/release-server.ts';

const CLI = fileURLToPath(new URL('../../scripts/tessera.js', import.meta.url));

function child(args: string[], env: Record<string, string>) {
  const c = spawn(process.execPath, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  c.stdout!.on('data', (b) => (out += b));
  c.stderr!.on('data', (b) => (err += b));
  const done = new Promise<{ code: number | null; out: string; err: string }>((resolve) => c.on('close', (code) => resolve({ code, out, err })));
  return { c, done };
}

/** A plain downloader: N workers GET every URL over one keep-alive agent of N sockets (the transport `tessera pull` uses) and drop the bytes. */
const RAW = `
const http = require('node:http');
const [server, token, list, n] = process.argv.slice(2);
const urls = require('node:fs').readFileSync(list, 'utf8').split('\\n').filter(Boolean);
const agent = new http.Agent({ keepAlive: true, maxSockets: Number(n) });
let next = 0, bytes = 0;
const t0 = performance.now();
const get = (u) => new Promise((resolve, reject) => http.get(server + u, { agent, headers: { Authorization: 'Bearer ' + token } }, (r) => { if (r.statusCode !== 200) reject(new Error(u + ': HTTP ' + r.statusCode)); r.on('data', (c) => (bytes += c.length)); r.on('end', resolve); r.on('error', reject); }).on('error', reject));
const worker = async () => { while (next < urls.length) await get(urls[next++]); };
Promise.all(Array.from({ length: Number(n) }, worker)).then(() => { console.log(JSON.stringify({ bytes, ms: performance.now() - t0 })); agent.destroy(); });
`;

export async function benchPull(images = 2_000, connections = 8) {
  const dir = tempDir('tessera-bench-pull-');
  try {
    // ~100 KB of incompressible bytes each (the pull never decodes images).
    const rs = await releaseServer(dir.dir, { count: images, side: 183, raw: true });
    const cut = await cutRelease(rs.server.releases, rs.adminId, rs.projectId);
    const m = JSON.parse(Buffer.from(await (await fetch(`${rs.server.url}/api/projects/${rs.projectId}/releases/1/manifest`, { headers: { Authorization: `Bearer ${rs.token}` } })).arrayBuffer()).toString()) as { images: { blob: string; bytes: number }[] };
    const total = m.images.reduce((n, i) => n + i.bytes, 0);
    const list = join(dir.dir, 'urls.txt');
    writeFileSync(list, m.images.map((i) => `/api/projects/${rs.projectId}/releases/${cut.release.id}/blobs/${i.blob}`).join('\n'));
    const rawFile = join(dir.dir, 'raw.cjs');
    writeFileSync(rawFile, RAW);
    const env = { TESSERA_TOKEN: rs.token, TESSERA_USER: '' };

    // Untimed: lets `tessera` build its command bundle once, as any first use on a machine does.
    const warm = await child([CLI, 'pull', '--help'], env).done;
    if (warm.code !== 0) throw new Error(`tessera pull --help failed: ${warm.err}`);
    const pulls: number[] = [];
    const raws: number[] = [];
    for (let i = 0; i < 3; i++) {
      const r0 = performance.now();
      const raw = await child([rawFile, rs.server.url, rs.token, list, String(connections)], env).done;
      if (raw.code !== 0) throw new Error(`raw GET failed: ${raw.err}`);
      const got = (JSON.parse(raw.out) as { bytes: number }).bytes;
      if (got !== total) throw new Error(`raw GET received ${got} bytes, not the ${total} the release lists`);
      raws.push(performance.now() - r0);
      rmSync(join(dir.dir, `cache${i}`), { recursive: true, force: true });
      const p0 = performance.now();
      const p = await child([CLI, 'pull', '--server', rs.server.url, 'rel@1', '--format', 'coco', '--out', join(dir.dir, `out${i}`), '--cache', join(dir.dir, `cache${i}`), '--connections', String(connections)], env).done;
      if (p.code !== 0) throw new Error(`pull failed: ${p.err}`);
      pulls.push(performance.now() - p0);
      rmSync(join(dir.dir, `out${i}`), { recursive: true, force: true });
      rmSync(join(dir.dir, `cache${i}`), { recursive: true, force: true });
    }
    const med = (a: number[]) => a.slice().sort((x, y) => x - y)[Math.floor(a.length / 2)];

    // Kill at 50%, then again: verified blobs fetched twice.
    const proxy = await startHttpLogProxy(rs.server.url);
    const cache = join(dir.dir, 'cache-kill');
    const args = [CLI, 'pull', '--server', proxy.url, 'rel@1', '--format', 'coco', '--out', join(dir.dir, 'out-kill'), '--cache', cache, '--connections', String(connections)];
    const first = child(args, env);
    const verifiedNow = () => {
      const root = join(cache, 'blobs');
      return existsSync(root) ? readdirSync(root).reduce((n, d) => n + readdirSync(join(root, d)).length, 0) : 0;
    };
    await new Promise<void>((resolve) => {
      const t = setInterval(() => {
        if (verifiedNow() >= images / 2) {
          clearInterval(t);
          resolve();
        }
      }, 5);
    });
    first.c.kill('SIGKILL');
    await first.done;
    const verified = new Set(readdirSync(join(cache, 'blobs')).flatMap((d) => readdirSync(join(cache, 'blobs', d))));
    const from = proxy.log.length;
    const again = await child(args, env).done;
    if (again.code !== 0) throw new Error(`resumed pull failed: ${again.err}`);
    const refetched = proxy.log.slice(from).filter((e) => verified.has(e.path.split('/').pop() ?? '')).length;
    await proxy.close();
    await rs.close();
    const mbs = (ms: number) => total / 1e6 / (ms / 1000);
    return { images, totalBytes: total, connections, pullMs: med(pulls), rawMs: med(raws), pullMbS: mbs(med(pulls)), rawMbS: mbs(med(raws)), killedAt: verified.size, refetched };
  } finally {
    dir.cleanup();
  }
}
