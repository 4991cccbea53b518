// Maps AppError codes to HTTP statuses (the one place) and renders the JSON error shape.
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { HTTPException } from 'hono/http-exception';
import { AppError, type ErrorBody, type ErrorCode } from '../../shared/errors.ts';

export const STATUS: Record<ErrorCode, ContentfulStatusCode> = {
  bad_request: 400,
  validation: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  misdirected_request: 421,
  unsupported_media_type: 415,
  rate_limited: 429,
  internal: 500,
};

export function errorBody(code: ErrorCode, message: string, details?: unknown): ErrorBody {
  return { error: details === undefined ? { code, message } : { code, message, details } };
}

export function onError(e: Error, c: Context) {
  if (e instanceof AppError) return c.json(errorBody(e.code, e.message, e.details), STATUS[e.code]);
  if (e instanceof HTTPException) {
    const status = e.status;
    const code: ErrorCode = status === 413 ? 'payload_too_large' : status === 401 ? 'unauthenticated' : 'bad_request';
    return c.json(errorBody(code, e.message || 'bad request'), status as ContentfulStatusCode);
  }
  console.error('unhandled error', e);
  return c.json(errorBody('internal', 'internal error'), 500);
}
