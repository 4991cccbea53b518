// API tokens expire (a default lifetime from the config, or one the creator names) and "sign out
// everywhere" revokes every session and token of the user, over REST.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createUser, DAY_MS } from '../services/auth.ts';
import { jsonHeaders, testApp } from '../testing/app.ts';

let t: ReturnType<typeof testApp>;
afterEach(() => {
  vi.useRealTimers();
  t.cleanup();
});

const login = async (username: string) => {
  const res = await t.app.request('/api/auth/login', { method: 'POST', headers: jsonHeaders(), body: JSON.stringify({ username, password: 'secret-pass' }) });
  expect(res.status).toBe(200);
  return ((await res.json()) as { token: string }).token;
};
const newToken = async (session: string, body: Record<string, unknown>) => {
  const res = await t.app.request('/api/me/tokens', { method: 'POST', headers: jsonHeaders(session), body: JSON.stringify(body) });
  return { status: res.status, body: (await res.json()) as { token: string; expiresAt: number; error?: { code: string; message: string } } };
};
const meStatus = async (token: string) => (await t.app.request('/api/me', { headers: jsonHeaders(token) })).status;

describe('API token lifetime', () => {
  it('gives a new token the configured default lifetime, answers 401 once it has passed, and lists the expiry', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    t = testApp({ apiTokenDays: 30 });
    await createUser(t.services, { username: 'ann', password: 'secret-pass' }, null);
    const session = await login('ann');
    const created = await newToken(session, { name: 'ci' });
    expect(created.status).toBe(201);
    expect(created.body.expiresAt).toBe(Date.now() + 30 * DAY_MS);
    const listed = (await (await t.app.request('/api/me/tokens', { headers: jsonHeaders(session) })).json()) as { items: { expiresAt: number }[] };
    expect(listed.items[0].expiresAt).toBe(created.body.expiresAt);

    vi.setSystemTime(Date.now() + 30 * DAY_MS - 1000);
    expect(await meStatus(created.body.token)).toBe(200);
    vi.setSystemTime(Date.now() + 2000);
    expect(await meStatus(created.body.token)).toBe(401);
  });

  it('takes a lifetime from the creator within 1–3650 days, and names the field when it is out of range', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    t = testApp();
    await createUser(t.services, { username: 'ann', password: 'secret-pass' }, null);
    const session = await login('ann');
    const short = await newToken(session, { name: 'one day', expiresInDays: 1 });
    expect(short.body.expiresAt).toBe(Date.now() + DAY_MS);
    for (const bad of [0, 3651, 1.5]) {
      const r = await newToken(session, { name: 'x', expiresInDays: bad });
      expect(r.status).toBe(400);
      expect(r.body.error?.message).toContain('"expiresInDays"');
    }
    // The default when none is configured: 90 days (the session, meanwhile, lives 14 days).
    const dflt = await newToken(session, { name: 'default' });
    expect(dflt.body.expiresAt).toBe(Date.now() + 90 * DAY_MS);
    vi.setSystemTime(Date.now() + DAY_MS + 1);
    expect(await meStatus(short.body.token)).toBe(401);
    expect(await meStatus(dflt.body.token)).toBe(200);
  });
});

describe('sign out everywhere', () => {
  it('revokes every session and API token of the user, audited, and leaves other users signed in', async () => {
    t = testApp();
    await createUser(t.services, { username: 'ann', password: 'secret-pass' }, null);
    await createUser(t.services, { username: 'bob', password: 'secret-pass' }, null);
    const laptop = await login('ann');
    const phone = await login('ann');
    const ci = (await newToken(laptop, { name: 'ci' })).body.token;
    const bob = await login('bob');

    const res = await t.app.request('/api/auth/logout-everywhere', { method: 'POST', headers: jsonHeaders(phone) });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true, revoked: 3 });
    expect(res.headers.get('set-cookie')).toMatch(/tessera_session=;/);
    for (const tok of [laptop, phone, ci]) expect(await meStatus(tok)).toBe(401);
    expect(await meStatus(bob)).toBe(200);
    const rows = t.db.$client.prepare("select details from audit_log where action = 'auth.logout_everywhere'").pluck().all();
    expect(rows.map((d) => JSON.parse(d as string))).toEqual([{ revoked: 3 }]);
    // Signing in again afterwards works as before.
    expect(await meStatus(await login('ann'))).toBe(200);
  });
});
