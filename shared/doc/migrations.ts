// Schema versions: an ordered list of migrations per document kind, whose ids are recorded in
// the document's `meta` map. `migrateDoc` checks the recorded ids against the list and applies
// the missing ones in order, in one transaction. A migration must be safe to run twice on two
// peers at once (Yjs merges both runs), so it only sets values that are equal on every peer.
import type * as Y from 'yjs';
import type { DocKind } from '../ids.ts';
import { err, ok, type Result } from '../errors.ts';
import { META, ROOT } from './schema.ts';

export interface Migration {
  /** Unique and never reused, e.g. `ann/1-init`. */
  id: string;
  up(doc: Y.Doc): void;
}

/** The migrations of each document kind, oldest first. Append only; never reorder or remove. */
export const MIGRATIONS: Record<DocKind, readonly Migration[]> = {
  ann: [{ id: 'ann/1-init', up: () => {} }],
  cmt: [{ id: 'cmt/1-init', up: () => {} }],
};

export const currentVersion = (kind: DocKind) => MIGRATIONS[kind].length;

export type MigrationError =
  /** The document was written by a newer Tessera: it lists a migration this code does not know. */
  | { code: 'unknown_migration'; id: string }
  /** The recorded migrations are not a prefix of the list (a gap or a reordering). */
  | { code: 'out_of_order'; missing: string; present: string }
  | { code: 'failed'; id: string; message: string };

export interface MigrationReport {
  from: number;
  to: number;
  applied: string[];
}

export const metaMap = (doc: Y.Doc) => doc.getMap<unknown>(ROOT.meta);

/** The migration ids recorded in a document (in list order where known). */
export function appliedMigrations(doc: Y.Doc): string[] {
  const out: string[] = [];
  for (const k of metaMap(doc).keys()) if (k.startsWith(META.migrationPrefix)) out.push(k.slice(META.migrationPrefix.length));
  return out.sort();
}

/**
 * The schema version a document is at: how many of `migrations`, in order, its recorded migration
 * ids cover (what `migrateDoc` would start from). Use this, not `schemaVersion`, to decide whether
 * migrations must run: `meta.version` is a plain value any writer can set.
 */
export function migratedVersion(doc: Y.Doc, migrations: readonly Migration[]): number {
  const recorded = new Set(appliedMigrations(doc));
  let n = 0;
  while (n < migrations.length && recorded.has(migrations[n].id)) n++;
  return n;
}

/** The `meta.version` value as written (informational: see `migratedVersion`). */
export function schemaVersion(doc: Y.Doc): number {
  const v = metaMap(doc).get(META.version);
  return typeof v === 'number' && Number.isInteger(v) && v >= 0 ? v : 0;
}

/** Brings a document up to date. Writes nothing when it is current or when the check fails. */
export function migrateDoc(
  doc: Y.Doc,
  migrations: readonly Migration[],
  origin: unknown = 'migration',
): Result<MigrationReport, MigrationError> {
  const known = new Map(migrations.map((m, i) => [m.id, i]));
  const recorded = new Set(appliedMigrations(doc));
  for (const id of recorded) if (!known.has(id)) return err({ code: 'unknown_migration', id });
  let prefix = 0;
  while (prefix < migrations.length && recorded.has(migrations[prefix].id)) prefix++;
  for (const id of recorded) {
    if (known.get(id)! >= prefix) return err({ code: 'out_of_order', missing: migrations[prefix].id, present: id });
  }
  const from = prefix;
  const todo = migrations.slice(prefix);
  if (todo.length === 0) return ok({ from, to: from, applied: [] });
  const meta = metaMap(doc);
  let failed: MigrationError | null = null;
  doc.transact(() => {
    for (const [i, m] of todo.entries()) {
      try {
        m.up(doc);
      } catch (e) {
        failed = { code: 'failed', id: m.id, message: e instanceof Error ? e.message : String(e) };
        return;
      }
      meta.set(META.migrationPrefix + m.id, from + i + 1);
    }
    meta.set(META.version, migrations.length);
  }, origin);
  if (failed) return err(failed);
  return ok({ from, to: migrations.length, applied: todo.map((m) => m.id) });
}
