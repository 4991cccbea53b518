// A document's update log as data: applying a log to a Y.Doc (one by one in one transaction:
// `Y.mergeUpdates` on the same log is far slower) and encoding a log as one snapshot with its state
// vector and schema version. Pure: used by the update-store adapters, the sync core and tools.
import * as Y from 'yjs';
import { parseDocName } from '../ids.ts';
import { MIGRATIONS, migratedVersion } from './migrations.ts';

/** A document's whole state as one row: the state, its state vector and its schema version. */
export interface DocSnapshot {
  state: Uint8Array;
  stateVector: Uint8Array;
  schemaVersion: number;
}

/** Applies a log to a document in one transaction. */
export function applyLog(doc: Y.Doc, updates: readonly Uint8Array[], origin: unknown = null): void {
  Y.transact(doc, () => {
    for (const u of updates) Y.applyUpdate(doc, u);
  }, origin);
}

/** The schema version of a document: the known prefix of its kind's migrations recorded in it (not `meta.version`). */
export function schemaVersionOf(doc: Y.Doc, docName: string): number {
  const kind = parseDocName(docName)?.kind;
  return kind ? migratedVersion(doc, MIGRATIONS[kind]) : 0;
}

/** Re-encodes a log as one snapshot. */
export function snapshotOfLog(docName: string, updates: readonly Uint8Array[]): DocSnapshot {
  const doc = new Y.Doc();
  applyLog(doc, updates);
  const snap = { state: Y.encodeStateAsUpdate(doc), stateVector: Y.encodeStateVector(doc), schemaVersion: schemaVersionOf(doc, docName) };
  doc.destroy();
  return snap;
}
