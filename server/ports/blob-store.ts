// Port for content-addressed blob bytes (local disk today, S3-compatible storage later). Streaming
// both ways, so an upload of any size is never held in memory; metadata (mime, owners) lives in the
// repositories, not here. Contract: blob-store.contract.ts.
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

export interface BlobStore {
  /**
   * Stores the bytes under their SHA-256, hashing as they stream in. Atomic: a blob is either
   * absent or complete, never partial, also when the source fails midway or exceeds `maxBytes`
   * (then it rejects with a `payload_too_large` AppError and stores nothing).
   */
  put(source: Uint8Array | AsyncIterable<Uint8Array>, opts?: { maxBytes?: number }): Promise<PutResult>;
  /** Size of a stored blob, or null when there is none (also for a malformed id). */
  stat(sha256: string): Promise<{ size: number } | null>;
  /** The bytes, or the inclusive `range` of them; null when there is no such blob. */
  get(sha256: string, range?: ByteRange): Promise<ReadableStream<Uint8Array> | null>;
}
