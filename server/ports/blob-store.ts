// Port for content-addressed blob bytes (local disk today, S3-compatible storage later). Streaming
// both ways, so an upload of any size is never held in memory; metadata (mime, owners) lives in the
// repositories, not here. Listing and deleting serve garbage collection (services/blob-gc.ts).
// Contract: blob-store.contract.ts.
import type { Sha256 } from '../../shared/ids.ts';

/** Inclusive byte range, as in HTTP `Range: bytes=start-end`. */
export interface ByteRange {
  start: number;
  end: number;
}

export interface PutResult {
  sha256: Sha256;
  size: number;
  /** False when these bytes were stored already. */
  created: boolean;
}

export interface StoredBlob {
  sha256: Sha256;
  size: number;
  /** When the bytes were stored, or last stored again (ms since the epoch). */
  storedAt: number;
}

export interface BlobStore {
  /**
   * Stores the bytes under their SHA-256, hashing as they stream in. Atomic: a blob is either
   * absent or complete, never partial, also when the source fails midway or exceeds `maxBytes`
   * (then it rejects with a `payload_too_large` AppError and stores nothing).
   */
  put(source: Uint8Array | AsyncIterable<Uint8Array>, opts?: { maxBytes?: number }): Promise<PutResult>;
  // Storing bytes that are there already refreshes their `storedAt` (garbage collection keeps
  // blobs younger than its grace period, so an upload in flight is never collected).
  /** Size of a stored blob, or null when there is none (also for a malformed id). */
  stat(sha256: string): Promise<{ size: number } | null>;
  /** The bytes, or the inclusive `range` of them; null when there is no such blob. */
  get(sha256: string, range?: ByteRange): Promise<ReadableStream<Uint8Array> | null>;
  /**
   * Runs `fn` with the path of a local file that holds the blob's bytes, for tools that read a
   * seekable file rather than a stream (the image library decodes an image of any size from a file
   * in bounded memory); null when there is no such blob. The file is for reading only and only
   * until `fn` settles (a remote store downloads to a temporary file and deletes it after).
   */
  withLocalFile<T>(sha256: string, fn: (path: string) => Promise<T>): Promise<T | null>;
  /** Every stored blob, in no particular order (complete blobs only, never a put in progress). */
  list(): AsyncIterable<StoredBlob>;
  /**
   * Deletes a blob; with `storedBefore`, only if it was not stored (again) at or after that time.
   * True when it was deleted; false when it was absent or too young (also for a malformed id).
   */
  delete(sha256: string, opts?: { storedBefore?: number }): Promise<boolean>;
}
