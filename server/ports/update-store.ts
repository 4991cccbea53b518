// The update store port: where each document's Yjs update log lives (append-only rows with the
// user who sent each update, swapped for one compacted row past a threshold). Async, so that a
// PostgreSQL adapter drops in; the sync core queues and groups appends itself (commit-queue.ts).
// Contract: update-store.contract.ts, run by every adapter.
import type { DocSnapshot } from '../../shared/doc/log.ts';
import type { ProvenanceDelta, ProvenanceRow } from '../../shared/doc/provenance.ts';

export type { DocSnapshot } from '../../shared/doc/log.ts';
/** A row of the log with its sender and, on a compacted row, the shape provenance it carries. */
export type LoggedUpdate = ProvenanceRow;

/** One update to append: the document, its bytes, and the user whose connection sent it (null: the server's own). */
export interface StoredUpdate {
  docName: string;
  update: Uint8Array;
  userId: string | null;
}

/** A document's state as its holder has it: built from exactly `rows` rows of the log, with what they did to its shapes when known. */
export type HeldState = DocSnapshot & { rows: number; provenance?: ProvenanceDelta };

export interface CompactionResult {
  /** Rows before and after (1 after a compaction, unchanged when there was nothing to do). */
  rowsBefore: number;
  rowsAfter: number;
  bytesBefore: number;
  bytesAfter: number;
}

export interface UpdateStore {
  /** Every stored update of a document, oldest first. */
  load(docName: string): Promise<Uint8Array[]>;
  /** Every row of a document's log with its sender, oldest first (what provenance is folded from). */
  loadRows(docName: string): Promise<LoggedUpdate[]>;
  /** The document as one compacted row, when its log is exactly that; null otherwise. */
  snapshot(docName: string): Promise<DocSnapshot | null>;
  /** Appends one update durably: resolves after the write is committed. */
  append(docName: string, update: Uint8Array, userId: string | null): Promise<void>;
  /**
   * Appends updates (of any documents) in order, in ONE transaction: all are durable when it
   * resolves, none when it rejects. A group commit.
   */
  appendMany(updates: readonly StoredUpdate[]): Promise<void>;
  /**
   * Swaps the whole log for one row, in one transaction. With `current` (the state the caller holds
   * in memory, built from exactly `rows` rows of this log) that state is written as it is; otherwise,
   * or when the log has another number of rows by then, the log is loaded and re-encoded. For an
   * `ann:` document the compacted row carries the shape provenance folded from the rows it replaces
   * (`foldProvenance`), so who sent what outlives the per-row senders; when `current` is written and
   * carries `provenance` (the holder's tally of the rows after the compacted first one), that is
   * merged with the first row's instead (`compactedProvenance`: no second decode of the document).
   */
  compact(docName: string, current?: HeldState): Promise<CompactionResult>;
  /** Rows in a document's log. */
  count(docName: string): Promise<number>;
}
