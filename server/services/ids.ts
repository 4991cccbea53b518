// Random ids and secrets for rows and tokens.
import { randomBytes, createHash } from 'node:crypto';

/** 16 url-safe characters (96 random bits). */
export const newId = (): string => randomBytes(12).toString('base64url');
export const newSecret = (): string => randomBytes(32).toString('base64url');
export const sha256Hex = (data: string | Uint8Array): string => createHash('sha256').update(data).digest('hex');
export const now = (): number => Date.now();
