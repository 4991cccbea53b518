// Request validation with zod: the offending field is named in the 400's message.
import type { Context } from 'hono';
import { z } from 'zod';
import { AppError } from '../../shared/errors.ts';

// The paging and empty-query shapes live in shared/api/common.ts (the client uses them too).
export { NoQuery, OffsetPage, pageQuery } from '../../shared/api/common.ts';

export function formatZodError(error: z.ZodError, where: string): string {
  const issue = error.issues[0];
  const path = issue.path.length ? issue.path.join('.') : where;
  if (issue.code === 'unrecognized_keys') return `${where}: unknown field ${issue.keys.map((k) => `"${k}"`).join(', ')}`;
  return `${where} field "${path}": ${issue.message}`;
}

export function parseWith<S extends z.ZodType>(schema: S, value: unknown, where: string): z.infer<S> {
  const r = schema.safeParse(value);
  if (!r.success) throw new AppError('validation', formatZodError(r.error, where), { issues: r.error.issues });
  return r.data;
}

/** Parses and validates a JSON body; malformed JSON is a 400 too. */
export async function jsonBody<S extends z.ZodType>(c: Context, schema: S): Promise<z.infer<S>> {
  const type = c.req.header('content-type') ?? '';
  if (!/^application\/json\s*(;|$)/i.test(type)) {
    throw new AppError('unsupported_media_type', `send the body as JSON with content-type: application/json${type ? `, not ${type}` : ''}`);
  }
  let raw: unknown;
  try {
    raw = await c.req.json();
  } catch (e) {
    // A body over its limit errors while it is read (body-limit.ts): that refusal, not "not JSON".
    const cause = e instanceof AppError ? e : (e as { cause?: unknown } | null)?.cause;
    if (cause instanceof AppError) throw cause;
    throw new AppError('bad_request', 'request body is not valid JSON');
  }
  return parseWith(schema, raw, 'body');
}

export function queryOf<S extends z.ZodType>(c: Context, schema: S): z.infer<S> {
  return parseWith(schema, c.req.query(), 'query');
}

export function pageArray<T>(items: T[], q: { limit: number; cursor?: number }): { items: T[]; next: string | null } {
  const start = q.cursor ?? 0;
  const page = items.slice(start, start + q.limit);
  return { items: page, next: start + q.limit < items.length ? String(start + q.limit) : null };
}
