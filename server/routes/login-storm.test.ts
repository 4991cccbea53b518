// Finding 4 (issue 7): a storm of bad sign-ins with fresh usernames must not stall the server.
// The attackers run in a child process, so the latencies measured here are the server's alone.
import { spawn } from 'node:child_process';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../main.ts';
import { tempDir } from '../testing/fixtures.ts';

const STORM = 200;
let server: RunningServer;
const dir = tempDir();

beforeAll(async () => {
  // Behind a "proxy", so each attacker can claim its own address: only the bounded password
  // pool stands between them and the server, not the per-address limits.
  server = await startServer({ port: 0, dataDir: dir.dir, clientDir: null, trustProxy: true });
});
afterAll(async () => {
  await server.close();
  dir.cleanup();
});

/** Sends `n` concurrent bad sign-ins with fresh usernames from fresh addresses; resolves to the statuses. */
function storm(url: string, n: number, onStart: () => void): Promise<number[]> {
  const script = `
    const url = process.argv[1], n = Number(process.argv[2]);
    const one = (i) => fetch(url + '/api/auth/login', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': '10.1.' + (i >> 8) + '.' + (i & 255) },
      body: JSON.stringify({ username: 'fresh-' + i + '-' + Math.random(), password: 'wrong' }),
    }).then((r) => r.status, (e) => String(e));
    process.stdout.write('go\\n');
    Promise.all(Array.from({ length: n }, (_, i) => one(i))).then((s) => process.stdout.write(JSON.stringify(s) + '\\n'));
  `;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-e', script, url, String(n)], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.startsWith('go\n')) onStart();
    });
    child.on('error', reject);
    child.on('exit', (code) => {
      const last = out.trim().split('\n').pop()!;
      code === 0 && last.startsWith('[') ? resolve(JSON.parse(last)) : reject(new Error(`storm exited ${code}: ${out}`));
    });
  });
}

it(`answers /health within 100 ms while ${STORM} concurrent bad sign-ins with fresh usernames arrive`, async () => {
  let started = false;
  let done = false;
  const result = storm(server.url, STORM, () => (started = true)).finally(() => (done = true));
  const latencies: number[] = [];
  // Poll /health back to back for as long as the storm lasts.
  while (!done) {
    const t0 = performance.now();
    const r = await fetch(`${server.url}/health`);
    expect(r.status).toBe(200);
    if (started) latencies.push(performance.now() - t0);
  }
  const statuses = await result;
  // Every attempt was refused, as wrong (401) or as too many at once (429); none broke the server.
  expect(statuses.filter((s) => s !== 401 && s !== 429)).toEqual([]);
  expect(statuses.filter((s) => s === 401).length).toBeGreaterThan(0);
  latencies.sort((a, b) => a - b);
  const worst = latencies[latencies.length - 1];
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * q))];
  const p95 = at(0.95);
  const p99 = at(0.99);
  const summary = `health during the storm: ${latencies.length} probes, p50 ${at(0.5).toFixed(1)} ms, p95 ${p95.toFixed(1)} ms, p99 ${p99.toFixed(1)} ms, max ${worst.toFixed(1)} ms; ${statuses.filter((s) => s === 401).length} × 401, ${statuses.filter((s) => s === 429).length} × 429`;
  console.log(summary);
  expect(latencies.length, summary).toBeGreaterThanOrEqual(3);
  // scryptSync on the event loop made /health wait behind every queued sign-in (measured on a
  // loaded 2-core machine: p50 33 ms, p99 663 ms, max 2.1–4.2 s). A probe may also wait for the OS
  // scheduler on a machine shared with other work (a whole-suite run saw one 1.3 s probe among
  // 4,452), so the 100 ms bound is on p95; the max is printed, not asserted.
  expect(p95, summary).toBeLessThan(100);
  // Failures are aggregated in the audit log: the first at once, the rest in one summary row.
  const rows = server.db.$client.prepare("select count(*) from audit_log where action = 'auth.login_failed'").pluck().get() as number;
  expect(rows).toBeLessThanOrEqual(2);
});
