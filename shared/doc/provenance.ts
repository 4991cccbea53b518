// Shape provenance from the server's own record: for every shape of an `ann:` document, the user
// whose connection created it and the user whose connection last changed it, folded from the update
// log's (bytes, sender) rows. The shape's `author` field is the client's claim and is never read.
// Pure: used by the update-store adapters at compaction (which carry the result on the compacted row,
// so per-update senders are never lost) and by the provenance service.
import * as Y from 'yjs';
import { parseDocName } from '../ids.ts';
import { shapesMap } from './annotations.ts';

/** Who created a shape and who last changed it (null: the server's own write, e.g. an import). */
export interface ShapeOrigin {
  createdBy: string | null;
  changedBy: string | null;
}

/** Shape id → origin, for the shapes present in the document. */
export type Provenance = Record<string, ShapeOrigin>;

/** One row of a document's log as the provenance fold reads it. */
export interface ProvenanceRow {
  update: Uint8Array;
  /** The user whose connection sent the update; null for the server's own writes and compacted rows. */
  userId: string | null;
  /** On a compacted row: the provenance of the rows it replaced (their senders are gone from the log). */
  provenance?: Provenance | null;
}

/** Whether a document's log carries shape provenance (only `ann:` documents hold shapes). */
export const hasProvenance = (docName: string): boolean => parseDocName(docName)?.kind === 'ann';

/**
 * Folds a log into the provenance of its shapes. Each row is applied on its own; the shapes its
 * update touched (added, replaced, or changed anywhere inside) are credited to its sender: a shape
 * that appears is created by them, any change makes them its last changer. A compacted row's
 * carried provenance stands for everything before it. A removed shape is forgotten; one put back
 * later (an undo of its deletion) counts as created by whoever put it back. An update that brings
 * nothing new changes nothing, so re-sending someone else's bytes earns no credit. Updates held
 * back for missing dependencies are credited to the row that completes them.
 */
export function foldProvenance(rows: readonly ProvenanceRow[]): Provenance {
  return provenanceAt(rows).provenance;
}

/** The fold, with the state vector of the state it describes (to tie it to one exact state, e.g. an approved revision). */
export function provenanceAt(rows: readonly ProvenanceRow[]): { provenance: Provenance; stateVector: Uint8Array } {
  const doc = new Y.Doc();
  const shapes = shapesMap(doc);
  const out = new Map<string, ShapeOrigin>();
  let sender: string | null = null;
  let crediting = true;
  shapes.observeDeep((events) => {
    if (!crediting) return;
    for (const e of events) {
      if (e.target === shapes) {
        for (const [id, change] of e.changes.keys) {
          if (change.action === 'delete') out.delete(id);
          else if (change.action === 'add' || !out.has(id)) out.set(id, { createdBy: sender, changedBy: sender });
          else out.set(id, { createdBy: out.get(id)!.createdBy, changedBy: sender });
        }
      } else {
        const id = e.path[0];
        if (typeof id !== 'string' || !shapes.has(id)) continue;
        const had = out.get(id);
        out.set(id, { createdBy: had ? had.createdBy : sender, changedBy: sender });
      }
    }
  });
  for (const row of rows) {
    sender = row.userId;
    crediting = row.provenance == null;
    Y.applyUpdate(doc, row.update);
    if (row.provenance != null) {
      // what the compacted row stood for replaces what was known before it
      out.clear();
      for (const [id, origin] of Object.entries(row.provenance)) if (shapes.has(id)) out.set(id, { ...origin });
    }
  }
  // shapes that exist but no row credited (e.g. a compacted row written before provenance was kept)
  for (const id of shapes.keys()) if (!out.has(id)) out.set(id, { createdBy: null, changedBy: null });
  const stateVector = Y.encodeStateVector(doc);
  doc.destroy();
  const sorted: Provenance = {};
  for (const id of [...out.keys()].sort()) sorted[id] = out.get(id)!;
  return { provenance: sorted, stateVector };
}
