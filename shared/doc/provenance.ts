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

/** One shape as the fold tracks it: its origin, and whether it appeared in the rows folded (else it was there before them). */
interface Touch extends ShapeOrigin {
  created: boolean;
}

/**
 * Credits the shapes a transaction's events touched to `sender` (the fold's one rule, shared by the
 * log fold and a live document's tally): a shape that appears is created by them; a change to a
 * shape present before — its value replaced or anything inside it — makes them its last changer
 * (and its creator when nothing is known of it yet); a removed shape is forgotten.
 */
function credit(shapes: Y.Map<unknown>, out: Map<string, Touch>, events: ReadonlyArray<Y.YEvent<any>>, sender: string | null): void {
  for (const e of events) {
    if (e.target === shapes) {
      for (const [id, change] of e.changes.keys) {
        if (change.action === 'delete') out.delete(id);
        else if (change.action === 'add') out.set(id, { createdBy: sender, changedBy: sender, created: true });
        else out.set(id, { createdBy: out.has(id) ? out.get(id)!.createdBy : sender, changedBy: sender, created: out.get(id)?.created ?? false });
      }
    } else {
      const id = e.path[0];
      if (typeof id !== 'string' || !shapes.has(id)) continue;
      const had = out.get(id);
      out.set(id, { createdBy: had ? had.createdBy : sender, changedBy: sender, created: had?.created ?? false });
    }
  }
}

const sortedOrigins = (ids: Iterable<string>, origin: (id: string) => ShapeOrigin): Provenance => {
  const sorted: Provenance = {};
  for (const id of [...ids].sort()) {
    const { createdBy, changedBy } = origin(id);
    sorted[id] = { createdBy, changedBy };
  }
  return sorted;
};

/** The fold, with the state vector of the state it describes (to tie it to one exact state, e.g. an approved revision). */
export function provenanceAt(rows: readonly ProvenanceRow[]): { provenance: Provenance; stateVector: Uint8Array } {
  const doc = new Y.Doc();
  const shapes = shapesMap(doc);
  const out = new Map<string, Touch>();
  let sender: string | null = null;
  let crediting = true;
  shapes.observeDeep((events) => crediting && credit(shapes, out, events, sender));
  for (const row of rows) {
    sender = row.userId;
    crediting = row.provenance == null;
    Y.applyUpdate(doc, row.update);
    if (row.provenance != null) {
      // what the compacted row stood for replaces what was known before it
      out.clear();
      for (const [id, origin] of Object.entries(row.provenance)) if (shapes.has(id)) out.set(id, { ...origin, created: true });
    }
  }
  // shapes that exist but no row credited (e.g. a compacted row written before provenance was kept)
  const provenance = sortedOrigins(shapes.keys(), (id) => out.get(id) ?? { createdBy: null, changedBy: null });
  const stateVector = Y.encodeStateVector(doc);
  doc.destroy();
  return { provenance, stateVector };
}

/**
 * What the rows written after a compacted one did to the shapes: the part of the fold a live
 * document can keep as its own transactions apply (`ShapeTally`), and the shapes present after them.
 */
export interface ProvenanceDelta {
  readonly touched: ReadonlyMap<string, Readonly<Touch>>;
  readonly present: readonly string[];
}

/**
 * The provenance a compaction writes. With `delta` — the tally of exactly the rows after the first,
 * which must be a compacted row carrying provenance — the two are merged without decoding anything
 * (the same result as the fold of the rows: provenance.test.ts checks them against each other);
 * otherwise the whole log is folded.
 */
export function compactedProvenance(rows: readonly ProvenanceRow[], delta?: ProvenanceDelta): Provenance {
  const base = rows[0]?.provenance;
  if (!delta || base == null) return foldProvenance(rows);
  return sortedOrigins(delta.present, (id) => {
    const t = delta.touched.get(id);
    const b = base[id];
    if (!t) return b ?? { createdBy: null, changedBy: null };
    return { createdBy: t.created || !b ? t.createdBy : b.createdBy, changedBy: t.changedBy };
  });
}

/**
 * The fold of a live document's own transactions since `take`: the server already applies every
 * update it logs, with its sender known, so the rows written since a compacted row need no second
 * decode to be credited. `senderOf` names a transaction's sender; `undefined` (an origin whose
 * sender it cannot know, e.g. another sync node's update) makes the tally unknown until the next
 * take. A tally that starts unknown (a document loaded from a log of several rows) is never used.
 */
export class ShapeTally {
  private touched = new Map<string, Touch>();
  private shapes: Y.Map<unknown> | null = null;
  /** The shapes present when the document was detached (hibernating: no Y.Doc to ask). */
  private presentThen: string[] = [];

  constructor(
    private known: boolean,
    private readonly senderOf: (origin: unknown) => string | null | undefined,
  ) {}

  private observe = (events: Array<Y.YEvent<any>>, tr: Y.Transaction) => {
    if (!this.known) return;
    const sender = this.senderOf(tr.origin);
    if (sender === undefined) return this.forget();
    credit(this.shapes!, this.touched, events, sender);
  };

  /** Follows `doc`'s transactions (a live document, after its stored state was applied). */
  attach(doc: Y.Doc): void {
    this.detach();
    this.shapes = shapesMap(doc);
    this.shapes.observeDeep(this.observe);
  }

  /** Stops following the document (it hibernates or is destroyed); what was tallied stays. */
  detach(): void {
    if (!this.shapes) return;
    this.presentThen = [...this.shapes.keys()];
    this.shapes.unobserveDeep(this.observe);
    this.shapes = null;
  }

  /** What happened can no longer be told (a compaction that did not write the state taken with it). */
  forget(): void {
    this.known = false;
    this.touched.clear();
  }

  /** The tally since the last take (undefined when not known), starting over, known, from now: call it with the snapshot a compaction writes. */
  take(): ProvenanceDelta | undefined {
    const delta = this.known ? { touched: this.touched, present: this.shapes ? [...this.shapes.keys()] : this.presentThen } : undefined;
    this.touched = new Map();
    this.known = true;
    return delta;
  }
}
