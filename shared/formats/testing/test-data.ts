// Test-only helpers: interop fixtures (../shared/fixtures/interop beside the repo), the hand-made
// files in ../testdata, and a seeded PRNG.
import { readFileSync } from 'node:fs';

/** Text of a fixture in `<repo>/../shared/fixtures/interop/`, found relative to this file. */
export const fixture = (name: string): string =>
  readFileSync(new URL(`../../../../shared/fixtures/interop/${name}`, import.meta.url), 'utf8');

/** Text of a hand-made test file in `shared/formats/testdata/` (see its README for what each models). */
export const handmade = (name: string): string => readFileSync(new URL(`../testdata/${name}`, import.meta.url), 'utf8');

/** mulberry32: a small deterministic PRNG so randomised tests can be replayed from their seed. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The seed for randomised tests: `TESSERA_SEED` when set, else a fixed default. */
export const testSeed = (fallback: number): number => (process.env.TESSERA_SEED ? Number(process.env.TESSERA_SEED) : fallback);
