// Ports for accounts: users and their tokens (browser sessions, API tokens; only hashes stored).
import type { UserId } from '../../shared/ids.ts';

export interface UserRecord {
  id: UserId;
  username: string;
  displayName: string;
  passwordHash: string;
  /** May create projects and accounts (shared/policy.ts ADMIN_ACTIONS). */
  isAdmin: boolean;
  createdAt: number;
}

export interface UserRepo {
  /** Inserts a user; a taken username is a `conflict` AppError. */
  insert(user: UserRecord): Promise<void>;
  byId(id: UserId): Promise<UserRecord | null>;
  byUsername(username: string): Promise<UserRecord | null>;
}

export const TOKEN_KINDS = ['session', 'api'] as const;
export type TokenKind = (typeof TOKEN_KINDS)[number];

export interface TokenRecord {
  id: string;
  /** SHA-256 of the secret; the secret itself is never stored. */
  secretHash: string;
  userId: UserId;
  kind: TokenKind;
  name: string;
  createdAt: number;
  expiresAt: number | null;
  revokedAt: number | null;
}

export interface TokenRepo {
  insert(token: TokenRecord): Promise<void>;
  /** The unrevoked token with this secret hash and its user (expiry is the caller's to judge). */
  unrevokedBySecretHash(secretHash: string): Promise<{ token: TokenRecord; user: UserRecord } | null>;
  byId(id: string): Promise<TokenRecord | null>;
  /** A user's tokens of one kind, oldest first. */
  listByUser(userId: UserId, kind: TokenKind): Promise<TokenRecord[]>;
  /** Marks a token revoked at `at`; returns false when there is no such token. */
  revoke(id: string, at: number): Promise<boolean>;
  /** Marks every unrevoked token of the user (sessions and API tokens) revoked at `at`; returns how many. */
  revokeAllOfUser(userId: UserId, at: number): Promise<number>;
}
