// Port for the holders of blobs that garbage collection must ask before it deletes anything:
// images and their thumbnails (built in), job parameters and outputs, and later releases, cached
// exports and model-run links. Each source answers for a batch of candidate blobs at a time.
import type { Sha256 } from '../../shared/ids.ts';

export interface BlobReferenceSource {
  /** Names the holder in the collection report, e.g. "images". */
  readonly name: string;
  /**
   * Of `candidates`, the blobs this source still refers to. Err on the side of keeping: a source
   * that cannot tell must name the candidate. Called with batches of a few hundred at most.
   */
  referencedAmong(candidates: readonly Sha256[]): Promise<Sha256[]>;
}
