// Garbage collection of blobs: deletes the stored blobs that no registered reference source
// (images and thumbnails, then whatever ServiceDeps.blobReferences registers: job data,
// releases, exports, run links) refers to and that are older than a grace period, and records one audit
// entry. The grace period protects uploads in flight: their bytes are stored before the row that
// refers to them, and storing the same bytes again refreshes a blob's time (BlobStore.put).
import type { Sha256, UserId } from '../../shared/ids.ts';
import type { BlobReferenceSource } from '../ports/blob-references.ts';
import { audit } from './audit.ts';
import type { ServiceDeps } from './deps.ts';
import { now } from './ids.ts';

export const GC_DEFAULT_GRACE_MS = 24 * 3600 * 1000;
/** Candidates asked of every source at once (SQLite binds at most a few thousand parameters). */
const BATCH = 400;

export interface GcOptions {
  /** Blobs stored (or stored again) more recently than this are kept whatever refers to them. */
  graceMs: number;
  /** Report what would be deleted, delete nothing. */
  dryRun?: boolean;
}

export interface GcReport {
  dryRun: boolean;
  graceMs: number;
  /** Blobs looked at, and of those the ones younger than the grace period. */
  scanned: number;
  young: number;
  /** Old blobs kept, by the first source that named them. */
  kept: Record<string, number>;
  /** Blobs deleted (or, in a dry run, that would be); `bytes` is their total size. */
  deleted: { sha256: Sha256; size: number }[];
  bytes: number;
}

/** The images' own source: image bytes and thumbnails, in any project. */
export const imageBlobReferences = (s: ServiceDeps): BlobReferenceSource => ({
  name: 'images',
  referencedAmong: (candidates) => s.data.images.blobsInUse(candidates),
});

/** The sources for one collection run: the images' own, then the registered ones (made fresh per run). */
export const blobReferenceSources = (s: ServiceDeps): BlobReferenceSource[] => [imageBlobReferences(s), ...(s.blobReferences?.() ?? [])];

export async function collectBlobGarbage(s: ServiceDeps, actorId: UserId | null, opts: GcOptions): Promise<GcReport> {
  if (!(opts.graceMs >= 0)) throw new Error(`the grace period must be ≥ 0 ms, not ${opts.graceMs}`);
  const sources = blobReferenceSources(s);
  const cutoff = now() - opts.graceMs;
  const report: GcReport = { dryRun: !!opts.dryRun, graceMs: opts.graceMs, scanned: 0, young: 0, kept: Object.fromEntries(sources.map((x) => [x.name, 0])), deleted: [], bytes: 0 };

  let batch: { sha256: Sha256; size: number }[] = [];
  const settle = async () => {
    let open = batch;
    batch = [];
    for (const source of sources) {
      if (open.length === 0) break;
      const held = new Set(await source.referencedAmong(open.map((b) => b.sha256)));
      report.kept[source.name] += open.filter((b) => held.has(b.sha256)).length;
      open = open.filter((b) => !held.has(b.sha256));
    }
    for (const b of open) {
      // The store refuses when the blob was stored again since the cutoff (an upload meanwhile).
      if (!opts.dryRun && !(await s.blobs.delete(b.sha256, { storedBefore: cutoff }))) continue;
      report.deleted.push(b);
      report.bytes += b.size;
    }
    if (!opts.dryRun && open.length > 0) await forgetMetadata(s, open.map((b) => b.sha256));
  };

  for await (const blob of s.blobs.list()) {
    report.scanned++;
    if (blob.storedAt >= cutoff) {
      report.young++;
      continue;
    }
    batch.push({ sha256: blob.sha256, size: blob.size });
    if (batch.length >= BATCH) await settle();
  }
  await settle();

  await audit(s.data, {
    actorId,
    action: 'blob.gc',
    details: { dryRun: report.dryRun, graceMs: report.graceMs, scanned: report.scanned, young: report.young, kept: report.kept, deleted: report.deleted.length, bytes: report.bytes, first: report.deleted.slice(0, 50).map((d) => d.sha256) },
  });
  return report;
}

/** Drops the metadata rows of blobs whose bytes are gone, unless an image took one up meanwhile. */
async function forgetMetadata(s: ServiceDeps, shas: Sha256[]): Promise<void> {
  const gone: Sha256[] = [];
  for (const sha of shas) if (!(await s.blobs.stat(sha))) gone.push(sha);
  if (gone.length === 0) return;
  await s.data.transaction(async (r) => {
    const inUse = new Set(await r.images.blobsInUse(gone));
    for (const sha of gone) if (!inUse.has(sha)) await r.blobs.remove(sha);
  });
}
