// The Hono environment shared by all routes, the dependencies the app is built from, and the
// guards that every route uses: signed in, member with a role allowed to do an action.
import type { Context, MiddlewareHandler } from 'hono';
import { getCookie } from 'hono/cookie';
import { AppError, forbidden, notFound } from '../../shared/errors.ts';
import { can, type Action } from '../../shared/policy.ts';
import type { Role } from '../../shared/roles.ts';
import type { Config } from '../config.ts';
import type { Db } from '../adapters/sqlite/open.ts';
import { roleIn } from '../services/access.ts';
import { resolveToken, type Principal } from '../services/auth.ts';
import type { ClassUsage } from '../services/classes.ts';
import type { DocWriter } from '../services/doc-writer.ts';
import { getProject } from '../services/projects.ts';
import type { BlobStore } from '../ports/blob-store.ts';
import type { LoginLimiter } from './login-limiter.ts';

export interface AppDeps {
  db: Db;
  blobs: BlobStore;
  config: Config;
  loginLimiter: LoginLimiter;
  /** Counts shapes using a label class (annotations live in Yjs documents). */
  classUsage: ClassUsage;
  /** Server-side writes to Yjs documents (through the sync server when it holds them). */
  docs: DocWriter;
  /** Tells open sync connections to re-check their access (memberships, assignments, tokens changed). */
  accessChanged: () => void;
}

export type AppEnv = {
  Variables: {
    principal: Principal | null;
    role: Role;
    projectId: string;
  };
};

export const SESSION_COOKIE = 'tessera_session';

export function authenticate(deps: AppDeps): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const header = c.req.header('authorization');
    const bearer = header?.startsWith('Bearer ') ? header.slice(7).trim() : undefined;
    c.set('principal', resolveToken(deps.db, bearer ?? getCookie(c, SESSION_COOKIE)));
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
    const projectId = c.req.param('projectId');
    if (!projectId || !getProject(deps.db, projectId)) throw notFound('project');
    const role = roleIn(deps.db, projectId, p.user.id);
    if (!role) throw forbidden('you are not a member of this project');
    if (!can(role, action)) throw forbidden(`a ${role} may not do ${action}`);
    c.set('role', role);
    c.set('projectId', projectId);
    await next();
  };
}
