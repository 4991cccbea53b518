// Sign-in and sign-out, the signed-in user, their API tokens, and account creation by admins.
import { Hono } from 'hono';
import { deleteCookie, setCookie } from 'hono/cookie';
import { AppError } from '../../shared/errors.ts';
import { SESSION_COOKIE, principalOf, requireAdmin, type AppDeps, type AppEnv } from '../http/context.ts';
import { Login, NewToken, NewUser } from '../../shared/api/auth.ts';
import { NoQuery, OffsetPage } from '../../shared/api/common.ts';
import { jsonBody, pageArray, queryOf } from '../http/validate.ts';
import { clientAddress } from '../http/client-address.ts';
import { isHttps } from '../http/transport.ts';
import { createApiToken, createUser, listApiTokens, login, logout, logoutEverywhere, revokeApiToken, SESSION_TTL_MS } from '../services/auth.ts';
import { listProjectsFor } from '../services/projects.ts';

export function authRoutes(deps: AppDeps) {
  const s = deps.services;
  const app = new Hono<AppEnv>();

  app.post('/auth/login', async (c) => {
    const body = await jsonBody(c, Login);
    const attempt = deps.loginLimiter.begin(body.username, clientAddress(c, deps.config.trustProxy));
    let r;
    try {
      r = await login(s, body.username, body.password);
    } catch (e) {
      if (e instanceof AppError && e.code === 'unauthenticated') attempt.failed();
      else attempt.abandoned();
      throw e;
    }
    attempt.succeeded();
    setCookie(c, SESSION_COOKIE, r.token, { httpOnly: true, sameSite: 'Lax', path: '/', maxAge: SESSION_TTL_MS / 1000, secure: isHttps(c, deps.config.trustProxy) });
    return c.json({ token: r.token, user: r.user, expiresAt: r.expiresAt });
  });

  app.post('/auth/logout', async (c) => {
    await logout(s, principalOf(c));
    deleteCookie(c, SESSION_COOKIE, { path: '/' });
    return c.json({ ok: true });
  });
  /** Revokes every session and API token of the signed-in user; their open sync sockets close. */
  app.post('/auth/logout-everywhere', async (c) => {
    const r = await logoutEverywhere(s, principalOf(c));
    deleteCookie(c, SESSION_COOKIE, { path: '/' });
    return c.json({ ok: true, revoked: r.revoked });
  });

  const meOf = async (p: ReturnType<typeof principalOf>) => ({
    user: p.user,
    memberships: (await listProjectsFor(s, p.user.id, 1000)).items.map((m) => ({ projectId: m.id, projectName: m.name, role: m.role })),
  });
  app.get('/me', async (c) => {
    const p = principalOf(c);
    queryOf(c, NoQuery);
    return c.json(await meOf(p));
  });
  /** Like /me, but 200 `{user: null}` when signed out: the web app asks at start without a failed request. */
  app.get('/auth/session', async (c) => {
    queryOf(c, NoQuery);
    const p = c.get('principal');
    return c.json(p ? await meOf(p) : { user: null, memberships: [] });
  });

  app.get('/me/tokens', async (c) => c.json(pageArray(await listApiTokens(s, principalOf(c).user.id), queryOf(c, OffsetPage))));
  app.post('/me/tokens', async (c) => {
    const p = principalOf(c);
    const body = await jsonBody(c, NewToken);
    return c.json(await createApiToken(s, p.user.id, body.name, body.expiresInDays ?? deps.config.apiTokenDays), 201);
  });
  app.delete('/me/tokens/:tokenId', async (c) => {
    await revokeApiToken(s, principalOf(c).user.id, c.req.param('tokenId'));
    return c.json({ ok: true });
  });

  app.post('/users', requireAdmin('users.create'), async (c) => {
    const body = await jsonBody(c, NewUser);
    return c.json(await createUser(s, body, principalOf(c).user.id), 201);
  });

  return app;
}
