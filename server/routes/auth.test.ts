import { afterEach, describe, expect, it } from 'vitest';
import { createUser } from '../services/auth.ts';
import { jsonHeaders, testApp } from '../testing/app.ts';

let t: ReturnType<typeof testApp>;
afterEach(() => t.cleanup());

const login = (username: string, password: string) =>
  t.app.request('/api/auth/login', { method: 'POST', headers: jsonHeaders(), body: JSON.stringify({ username, password }) });

describe('accounts', () => {
  it('signs in with a cookie and a token, answers /api/me, and signs out', async () => {
    t = testApp();
    await createUser(t.services, { username: 'ann', password: 'secret-pass' }, null);
    const res = await login('ann', 'secret-pass');
    expect(res.status).toBe(200);
    const cookie = res.headers.get('set-cookie')!;
    expect(cookie).toMatch(/tessera_session=/);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
    const { token } = (await res.json()) as { token: string };
    const sessionCookie = cookie.split(';')[0];

    const me = await t.app.request('/api/me', { headers: { cookie: sessionCookie } });
    expect(me.status).toBe(200);
    expect(((await me.json()) as { user: { username: string } }).user.username).toBe('ann');

    const session = await t.app.request('/api/auth/session', { headers: { cookie: sessionCookie } });
    expect(((await session.json()) as { user: { username: string } }).user.username).toBe('ann');

    const out = await t.app.request('/api/auth/logout', { method: 'POST', headers: jsonHeaders(token) });
    expect(out.status).toBe(200);
    expect((await t.app.request('/api/me', { headers: { cookie: sessionCookie } })).status).toBe(401);
    // The web app asks at start whether anyone is signed in: 200 with no user, not a failed request.
    const signedOut = await t.app.request('/api/auth/session', { headers: { cookie: sessionCookie } });
    expect(signedOut.status).toBe(200);
    expect(await signedOut.json()).toEqual({ user: null, memberships: [] });
  });

  it('refuses a wrong password with 401 and the same message as an unknown user', async () => {
    t = testApp();
    await createUser(t.services, { username: 'ann', password: 'secret-pass' }, null);
    const wrong = await login('ann', 'nope');
    const unknown = await login('nobody', 'nope');
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(await wrong.json()).toEqual(await unknown.json());
  });

  it('rate-limits failed sign-ins, and a later correct one is refused until the window passes', async () => {
    t = testApp({ loginAttempts: 3 });
    await createUser(t.services, { username: 'ann', password: 'secret-pass' }, null);
    for (let i = 0; i < 3; i++) expect((await login('ann', 'bad')).status).toBe(401);
    const limited = await login('ann', 'secret-pass');
    expect(limited.status).toBe(429);
    expect(((await limited.json()) as { error: { code: string } }).error.code).toBe('rate_limited');
  });

  it('creates, lists and revokes API tokens; a revoked token no longer works', async () => {
    t = testApp();
    await createUser(t.services, { username: 'ann', password: 'secret-pass' }, null);
    const { token } = (await (await login('ann', 'secret-pass')).json()) as { token: string };
    const created = await t.app.request('/api/me/tokens', { method: 'POST', headers: jsonHeaders(token), body: JSON.stringify({ name: 'ci' }) });
    expect(created.status).toBe(201);
    const api = (await created.json()) as { id: string; token: string };
    expect((await t.app.request('/api/me', { headers: jsonHeaders(api.token) })).status).toBe(200);
    const list = (await (await t.app.request('/api/me/tokens', { headers: jsonHeaders(token) })).json()) as { items: { id: string; name: string }[] };
    expect(list.items.map((i) => i.name)).toEqual(['ci']);
    expect(JSON.stringify(list)).not.toContain(api.token);
    expect((await t.app.request(`/api/me/tokens/${api.id}`, { method: 'DELETE', headers: jsonHeaders(token) })).status).toBe(200);
    expect((await t.app.request('/api/me', { headers: jsonHeaders(api.token) })).status).toBe(401);
    const rows = t.db.$client.prepare('select action from audit_log order by id').pluck().all();
    expect(rows).toEqual(expect.arrayContaining(['auth.login', 'token.create', 'token.revoke']));
  });

  it('stores only hashes of passwords and tokens', async () => {
    t = testApp();
    await createUser(t.services, { username: 'ann', password: 'secret-pass' }, null);
    const { token } = (await (await login('ann', 'secret-pass')).json()) as { token: string };
    const dump = JSON.stringify(t.db.$client.prepare('select * from users').all()) + JSON.stringify(t.db.$client.prepare('select * from tokens').all());
    expect(dump).not.toContain('secret-pass');
    expect(dump).not.toContain(token);
    expect(dump).toMatch(/scrypt\$/);
  });
});

describe('request validation', () => {
  it('refuses a JSON body sent as another content type (415), so a plain form post cannot reach a route', async () => {
    t = testApp();
    const res = await t.app.request('/api/auth/login', { method: 'POST', headers: { 'content-type': 'text/plain' }, body: JSON.stringify({ username: 'a', password: 'b' }) });
    expect(res.status).toBe(415);
    expect(((await res.json()) as { error: { message: string } }).error.message).toContain('application/json');
  });

  it('refuses state-changing requests from another origin, and lets same-origin and script requests through', async () => {
    t = testApp({ allowedHosts: ['tessera.test', 'backend'] });
    await createUser(t.services, { username: 'ann', password: 'secret-pass' }, null);
    const post = (headers: Record<string, string>) =>
      t.app.request('http://tessera.test/api/auth/login', { method: 'POST', headers: { 'content-type': 'application/json', host: 'tessera.test', ...headers }, body: JSON.stringify({ username: 'ann', password: 'secret-pass' }) });
    expect((await post({ origin: 'http://evil.test' })).status).toBe(403);
    expect((await post({ origin: 'http://tessera.test:8081' })).status).toBe(403);
    expect((await post({ origin: 'http://tessera.test' })).status).toBe(200);
    expect((await post({})).status).toBe(200);
    // Behind a proxy that rewrites Host, only a trusted X-Forwarded-Host names what the browser addressed.
    const proxied = { host: 'backend:8080', 'x-forwarded-host': 'tessera.test', origin: 'http://tessera.test' };
    expect((await post(proxied)).status).toBe(403);
    t.cleanup();
    t = testApp({ trustProxy: true, allowedHosts: ['tessera.test'] });
    await createUser(t.services, { username: 'ann', password: 'secret-pass' }, null);
    expect((await post(proxied)).status).toBe(200);
    const read = await t.app.request('http://tessera.test/health', { headers: { origin: 'http://evil.test', host: 'tessera.test' } });
    expect(read.status).toBe(200);
  });

  it('answers malformed JSON, wrong types and unknown fields with a 400 naming the field', async () => {
    t = testApp();
    const bad = await t.app.request('/api/auth/login', { method: 'POST', headers: jsonHeaders(), body: '{"username": "a", ' });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { message: string } }).error.message).toMatch(/not valid JSON/);

    const wrongType = await login(42 as unknown as string, 'x');
    expect(wrongType.status).toBe(400);
    const body = (await wrongType.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('validation');
    expect(body.error.message).toContain('"username"');

    const extra = await t.app.request('/api/auth/login', { method: 'POST', headers: jsonHeaders(), body: JSON.stringify({ username: 'a', password: 'b', admin: true }) });
    expect(extra.status).toBe(400);
    expect(((await extra.json()) as { error: { message: string } }).error.message).toContain('"admin"');
  });
});
