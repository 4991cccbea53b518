// The Hono environment shared by all routes, the dependencies the app is built from, and the
// guards that every route uses: signed in, member with a role allowed to do an action.
import type { Context, MiddlewareHandler } from 'hono';
import { getCookie } from 'hono/cookie';
import { AppError, forbidden, notFound } from '../../shared/errors.ts';
import { ADMIN_ACTIONS, can, canAdmin, type Action, type AdminAction } from '../../shared/policy.ts';
import type { Role } from '../../shared/roles.ts';
import type { ProjectId } from '../../shared/ids.ts';
import type { Config } from '../config.ts';
import { roleIn } from '../services/access.ts';
import { resolveToken, type Principal } from '../services/auth.ts';
import type { ServiceDeps } from '../services/deps.ts';
import { getProject } from '../services/projects.ts';
import type { LoginLimiter } from './login-limiter.ts';
import type { JobSystem } from '../jobs/system.ts';
import type { ReleaseDeps } from '../services/releases.ts';
import type { RunRepo } from '../ports/runs.ts';

export interface AppDeps {
  /** The ports and hooks every service call is given. */
  services: ServiceDeps;
  config: Config;
  loginLimiter: LoginLimiter;
  /** The job system (stages, queue, runner, pipelines); its events go to `services.events`. */
  jobs: JobSystem;
  /** Who is on which image (absent when the server runs without sync). */
  presence?: PresenceTracker;
  /** Releases: their repository, the approved revisions they are cut from, the blob store. */
  releases: ReleaseDeps;
  /** Serves the built web app (SPA fallback); none for an API-only server. */
  client?: MiddlewareHandler;
  /** Model runs (their releases come from `releases`). */
  runs: RunRepo;
}

export type AppEnv = {
  Variables: {
    principal: Principal | null;
    role: Role;
    projectId: ProjectId;
  };
};

import { SESSION_COOKIE } from './session-cookie.ts';
import type { PresenceTracker } from '../services/presence.ts';

export { SESSION_COOKIE };

export function authenticate(deps: AppDeps): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const header = c.req.header('authorization');
    const bearer = header?.startsWith('Bearer ') ? header.slice(7).trim() : undefined;
    c.set('principal', await resolveToken(deps.services, bearer ?? getCookie(c, SESSION_COOKIE)));
    await next();
  };
}

export function principalOf(c: Context<AppEnv>): Principal {
  const p = c.get('principal');
  if (!p) throw new AppError('unauthenticated', 'sign in first (session cookie or Authorization: Bearer <token>)');
  return p;
}

export const requireUser: MiddlewareHandler<AppEnv> = async (c, next) => {
  principalOf(c);
  await next();
};

/** Guards a `/projects/:projectId/...` route: signed in, member of the project, role allowed to do `action`. */
export function requireProject(deps: AppDeps, action: Action): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const p = principalOf(c);
    const projectId = c.req.param('projectId') as ProjectId | undefined;
    if (!projectId || !(await getProject(deps.services, projectId))) throw notFound('project');
    const role = await roleIn(deps.services, projectId, p.user.id);
    if (!role) throw forbidden('you are not a member of this project');
    if (!can(role, action)) throw forbidden(`a ${role} may not do ${action}`);
    c.set('role', role);
    c.set('projectId', projectId);
    await next();
  };
}

/** Guards a route that needs an administrator's right (shared/policy.ts ADMIN_ACTIONS). */
export function requireAdmin(action: AdminAction): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (!canAdmin(principalOf(c).user, action)) throw forbidden(`only administrators may ${ADMIN_ACTIONS[action]}`);
    await next();
  };
}
