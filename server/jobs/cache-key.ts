// The cache key (DESIGN.md "Jobs and stages"): SHA-256 of the canonical JSON of the stage name,
// its version, its parameters and the digests of its inputs.
import { createHash } from 'node:crypto';
import { canonicalJson } from '../../shared/canonical-json.ts';

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

export const inputDigest = (input: unknown): string => sha256(canonicalJson(input ?? null));

export function cacheKey(stage: { name: string; version: string }, params: unknown, input: unknown): string {
  return sha256(canonicalJson({ stage: stage.name, version: stage.version, params: params ?? null, inputs: [inputDigest(input)] }));
}
