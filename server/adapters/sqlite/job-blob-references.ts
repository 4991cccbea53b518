// A blob reference source over the jobs table: any SHA-256 written in a job's parameters, input or
// result (a stage's ctx.blobs output, an import's source) keeps that blob. Stages do not declare
// which fields hold blobs, so every 64-hex-digit string counts; the set is read once per
// collection run (create a new source per run).
import type { Sha256 } from '../../../shared/ids.ts';
import type { BlobReferenceSource } from '../../ports/blob-references.ts';
import type { Db } from './open.ts';

const HEX64 = /[0-9a-f]{64}/g;

export function sqliteJobBlobReferences(db: Db): BlobReferenceSource {
  let named: Set<string> | null = null;
  const load = () => {
    const set = new Set<string>();
    const rows = db.$client.prepare('select params, input, result from jobs').raw().iterate() as Iterable<(string | null)[]>;
    for (const row of rows) for (const text of row) if (text) for (const m of text.toLowerCase().matchAll(HEX64)) set.add(m[0]);
    return set;
  };
  return {
    name: 'jobs',
    async referencedAmong(candidates) {
      named ??= load();
      return candidates.filter((c) => named!.has(c)) as Sha256[];
    },
  };
}
