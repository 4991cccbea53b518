// The HTTP edge on a real server (issue 7, findings 7 and 8): body limits on every route, and only
// allowed Host names answered, on REST and on sync socket upgrades (DNS rebinding).
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../main.ts';
import { createUser, login } from '../services/auth.ts';
import { tempDir } from '../testing/fixtures.ts';

let server: RunningServer;
let token: string;
const dir = tempDir();

beforeAll(async () => {
  server = await startServer({ port: 0, dataDir: dir.dir, clientDir: null });
  await createUser(server.services, { username: 'ann', password: 'ann-password' }, null);
  token = (await login(server.services, 'ann', 'ann-password')).token;
});
afterAll(async () => {
  await server.close();
  dir.cleanup();
});

interface Raw {
  status: number;
  body: string;
}

/** A raw HTTP request (fetch may not set Host); `body` may be sent chunked, without a length. */
function raw(opts: { method?: string; path: string; headers?: Record<string, string>; body?: string | Buffer; chunked?: boolean }): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: server.port, agent: false, method: opts.method ?? 'GET', path: opts.path, headers: opts.headers }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode!, body }));
    });
    // A server that refuses a body mid-stream may reset the connection before the client reads the
    // answer (unread bytes make the kernel send RST): status 0.
    req.on('error', (e) => (['EPIPE', 'ECONNRESET'].includes((e as NodeJS.ErrnoException).code!) ? resolve({ status: 0, body: '' }) : reject(e)));
    if (opts.body !== undefined && !opts.chunked) req.setHeader('content-length', Buffer.byteLength(opts.body));
    if (opts.body !== undefined) req.write(opts.body);
    req.end();
  });
}

/** Attempts a WebSocket upgrade of the sync endpoint; resolves to the status line's code (101 = accepted). */
function upgrade(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request({
      host: '127.0.0.1',
      port: server.port,
      path: `/api/sync/ann:x?token=${token}`,
      headers: { host, connection: 'Upgrade', upgrade: 'websocket', 'sec-websocket-version': '13', 'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==' },
    });
    req.on('upgrade', (res, socket) => {
      socket.destroy();
      resolve(res.statusCode!);
    });
    req.on('response', (res) => {
      res.resume();
      resolve(res.statusCode!);
    });
    req.on('error', reject);
    req.end();
  });
}

const loginBody = JSON.stringify({ username: 'ann', password: 'ann-password' });

describe('allowed hosts (DNS rebinding)', () => {
  it('refuses a sign-in addressed to another host name with 421, even when Origin matches it', async () => {
    const r = await raw({ method: 'POST', path: '/api/auth/login', headers: { host: 'attacker.example', origin: 'http://attacker.example', 'content-type': 'application/json' }, body: loginBody });
    expect(r.status).toBe(421);
    expect(JSON.parse(r.body).error.code).toBe('misdirected_request');
    expect(r.body).not.toContain('token"');
    expect((await raw({ path: '/health', headers: { host: `attacker.example:${server.port}` } })).status).toBe(421);
  });

  it('answers the listen address and localhost', async () => {
    for (const host of [`127.0.0.1:${server.port}`, `localhost:${server.port}`]) {
      const r = await raw({ method: 'POST', path: '/api/auth/login', headers: { host, 'content-type': 'application/json' }, body: loginBody });
      expect(r.status, host).toBe(200);
    }
  });

  it('refuses a sync socket upgrade addressed to another host name, and accepts it for the listen address', async () => {
    expect(await upgrade('attacker.example')).toBe(421);
    expect(await upgrade(`127.0.0.1:${server.port}`)).toBe(101);
  });
});

describe('body limits', () => {
  const big = (n: number) => JSON.stringify({ username: 'ann', password: 'x'.repeat(n) });

  it('refuses a large sign-in body with 413 and a message, by length and when sent chunked', async () => {
    const r = await raw({ method: 'POST', path: '/api/auth/login', headers: { 'content-type': 'application/json' }, body: big(1_000_000) });
    expect(r.status).toBe(413);
    expect(JSON.parse(r.body).error).toMatchObject({ code: 'payload_too_large', message: expect.stringMatching(/larger than 16384 bytes/) });
    const chunked = await raw({ method: 'POST', path: '/api/auth/login', headers: { 'content-type': 'application/json' }, body: big(1_000_000), chunked: true });
    expect([413, 0]).toContain(chunked.status);
    expect((await raw({ path: '/health' })).status).toBe(200);
  });

  it('refuses JSON over the JSON limit from a signed-in user, on any route', async () => {
    const headers = { 'content-type': 'application/json', authorization: `Bearer ${token}` };
    const r = await raw({ method: 'POST', path: '/api/me/tokens', headers, body: JSON.stringify({ name: 'x'.repeat(2 * 1024 * 1024) }) });
    expect(r.status).toBe(413);
    expect(JSON.parse(r.body).error.message).toMatch(/the limit for JSON bodies/);
    const small = await raw({ method: 'POST', path: '/api/me/tokens', headers, body: JSON.stringify({ name: 'ci' }) });
    expect(small.status).toBe(201);
  });
});
