// REST shapes for signing in and out, the signed-in user, API tokens and accounts.
import { z } from 'zod';
import type { ProjectId, UserId } from '../ids.ts';
import type { Role } from '../roles.ts';

export const Login = z.strictObject({ username: z.string().min(1).max(100), password: z.string().min(1).max(1000) });
/** The longest life an API token may be given. */
export const API_TOKEN_MAX_DAYS = 3650;

export const NewToken = z.strictObject({ name: z.string().min(1).max(100), expiresInDays: z.number().int().min(1).max(API_TOKEN_MAX_DAYS).optional() });
export const NewUser = z.strictObject({
  username: z.string().regex(/^[A-Za-z0-9_.-]{2,64}$/, 'use 2–64 letters, digits, ".", "_" or "-"'),
  password: z.string().min(8, 'use at least 8 characters').max(1000),
  displayName: z.string().min(1).max(200).optional(),
  isAdmin: z.boolean().optional(),
});

export interface User {
  id: UserId;
  username: string;
  displayName: string;
  isAdmin: boolean;
}

export interface Membership {
  projectId: ProjectId;
  projectName: string;
  role: Role;
}

/** GET /api/me; GET /api/auth/session answers `{user: null, memberships: []}` when signed out. */
export interface Me {
  user: User;
  memberships: Membership[];
}

export interface LoginResponse {
  token: string;
  user: User;
  expiresAt: number;
}

export interface ApiToken {
  id: string;
  name: string;
  createdAt: number;
  /** null only for tokens made before tokens expired. */
  expiresAt: number | null;
  revokedAt: number | null;
}

/** POST /api/me/tokens: the secret is shown this once. */
export interface NewApiToken {
  id: string;
  name: string;
  createdAt: number;
  expiresAt: number;
  token: string;
}

/** POST /api/auth/logout-everywhere: how many sessions and API tokens were revoked. */
export interface LogoutEverywhere {
  ok: true;
  revoked: number;
}
