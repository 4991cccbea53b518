// Which parts of a document name a user as their writer, for the sync server's authorship check
// (a connection may only write its own user id there, and may not remove other users' messages).
// Pure schema knowledge: the server inspects Yjs structs, this file says what they mean.
import { MESSAGE, ROOT, SHAPE, THREAD } from './schema.ts';

/** Y.Map keys whose value is the user id of the entry's writer (a shape's `author`). */
export const AUTHOR_KEYS: ReadonlySet<string> = new Set([SHAPE.author]);

/** The key of an object field that names its writer (a message's `author`, or a plain-object shape's). */
export const AUTHOR_FIELDS: ReadonlySet<string> = new Set([MESSAGE.author, SHAPE.author]);

/** A type's place in a document: the keys from the root type's name down to it (null: a list position). */
export type DocPath = readonly (string | null)[];

/** Whether the map at `path` holds free-form user data (a shape's attributes): an `author` there is just data. */
export const isFreeFormPath = (path: DocPath): boolean =>
  path.length === 3 && path[0] === ROOT.shapes && path[2] === SHAPE.attrs;

/** Whether the list at `path` holds a thread's messages (plain `{id, author, text, at}` objects). */
export const isMessagesPath = (path: DocPath): boolean =>
  path.length === 3 && path[0] === ROOT.threads && path[2] === THREAD.messages;

/** Whether a plain value can claim authorship at all (strings, objects, arrays holding them). Numbers, booleans and number arrays cannot. */
export function mayClaimAuthorship(value: unknown): boolean {
  if (typeof value === 'string') return true;
  if (value === null || typeof value !== 'object') return false;
  if (Array.isArray(value)) return value.some(mayClaimAuthorship);
  return !(value instanceof Uint8Array);
}

/** Every author a plain value claims: the author fields of objects at any depth (a message, a plain-object shape). */
export function claimedAuthors(value: unknown, out: unknown[] = [], depth = 0): unknown[] {
  if (value === null || typeof value !== 'object' || value instanceof Uint8Array || depth > 64) return out;
  if (Array.isArray(value)) {
    for (const v of value) claimedAuthors(v, out, depth + 1);
    return out;
  }
  for (const [k, v] of Object.entries(value)) {
    if (AUTHOR_FIELDS.has(k)) out.push(v);
    else claimedAuthors(v, out, depth + 1);
  }
  return out;
}
