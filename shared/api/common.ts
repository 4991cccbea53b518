// Request and response shapes shared by every REST area: paging, the empty query, `{ok: true}`.
import { z } from 'zod';

/** `?limit=&cursor=` for lists that page by an opaque cursor. */
export const pageQuery = {
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  cursor: z.string().max(200).optional(),
};
export const PageQuery = z.strictObject(pageQuery);

/** For routes that take no query parameters: any is a 400 naming it. */
export const NoQuery = z.strictObject({});

/** Small lists (classes, members, tokens) page by offset. */
export const OffsetPage = z.strictObject({
  limit: z.coerce.number().int().min(1).max(1000).default(1000),
  cursor: z.coerce.number().int().min(0).optional(),
});

export interface Page<T> {
  items: T[];
  next: string | null;
}

export interface Ok {
  ok: true;
}
