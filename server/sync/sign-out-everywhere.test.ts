// Over the real server and sockets: an expired API token is refused at the upgrade with 4401, and
// "sign out everywhere" closes every open socket of that user (sessions and API tokens) with 4401
// while other users' sockets stay open.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { DAY_MS } from '../services/auth.ts';
import { perTestSyncServer } from '../testing/sync-server.ts';
import { CLOSE } from './protocol.ts';

describe('token lifetime and sign out everywhere on sync sockets', () => {
  const s = perTestSyncServer();
  afterEach(() => vi.useRealTimers());
  const rest = async (method: string, path: string, token: string, body?: unknown) => {
    const res = await fetch(`${s.t.url}${path}`, { method, headers: { Authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };
  const apiToken = async (owner: string, days?: number) => {
    const r = await rest('POST', '/api/me/tokens', owner, { name: 'sync', ...(days ? { expiresInDays: days } : {}) });
    expect(r.status).toBe(201);
    return r.body.token as string;
  };

  it('refuses an expired API token with 4401, and accepts it before it expires', async () => {
    const doc = `cmt:${s.t.seed.images.assigned}`;
    const token = await apiToken(s.t.seed.tokens.annotator, 1);
    const before = s.client(token, doc);
    await before.synced();
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() + DAY_MS + 1000);
    const after = s.client(token, doc);
    expect((await after.closed).code).toBe(CLOSE.unauthenticated);
  });

  it('closes every socket of the user with 4401 and leaves other users connected', async () => {
    const doc = `cmt:${s.t.seed.images.assigned}`;
    const session = s.t.seed.tokens.annotator;
    const viaSession = s.client(session, doc);
    const viaToken = s.client(await apiToken(session), `ann:${s.t.seed.images.assigned}`);
    const other = s.client(s.t.seed.tokens.reviewer, doc);
    await Promise.all([viaSession.synced(), viaToken.synced(), other.synced()]);

    expect(await rest('POST', '/api/auth/logout-everywhere', session)).toMatchObject({ status: 200, body: { revoked: 2 } });
    expect((await viaSession.closed).code).toBe(CLOSE.unauthenticated);
    expect((await viaToken.closed).code).toBe(CLOSE.unauthenticated);
    expect(other.provider.wsconnected).toBe(true);
    expect((await rest('GET', '/api/me', session)).status).toBe(401);
  });
});
