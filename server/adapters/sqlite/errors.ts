// Maps SQLite's unique-constraint errors to the `conflict` AppError the ports promise.
import { AppError } from '../../../shared/errors.ts';

const UNIQUE = new Set(['SQLITE_CONSTRAINT_UNIQUE', 'SQLITE_CONSTRAINT_PRIMARYKEY']);

/** Runs an insert; a unique-constraint failure becomes a `conflict` AppError with `message`. */
export function uniquely<T>(message: string, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    const code = (e as { code?: string }).code ?? (e as { cause?: { code?: string } }).cause?.code;
    if (code && UNIQUE.has(code)) throw new AppError('conflict', message);
    throw e;
  }
}
