// Which values of a document name a user as their writer, for the sync server's authorship check.
// Comment messages are plain `{id, author, text, at}` objects: a connection may only add messages
// in its own name and may not remove other users' messages. Shape `author` is the shape's creator
// as the client recorded it (an undo of a deletion restores it) and is not checked; the server's
// update log records who really sent every change. Pure schema knowledge, no I/O.
import { MESSAGE } from './schema.ts';

/** The author of a value that is a comment message, or null for any other value. */
export function messageAuthor(value: unknown): string | null {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return null;
  const m = value as Record<string, unknown>;
  return typeof m[MESSAGE.id] === 'string' && typeof m[MESSAGE.author] === 'string' && typeof m[MESSAGE.text] === 'string' && typeof m[MESSAGE.at] === 'number'
    ? (m[MESSAGE.author] as string)
    : null;
}
