// Train/val/test assignment (DESIGN.md "Releases"): deterministic from a salted hash of the image's
// blob SHA-256, or of a group key (scene, patient…) so that related images never straddle splits,
// against the configured ratios; stable across releases: an image keeps the split it had in the
// parent, and a new image of a group already in the parent joins that group's split.
import { digest } from 'lib0/hash/sha256';
import { SPLIT_ORDER, type Split } from './manifest.ts';

export interface SplitConfig {
  /** Non-negative weights; normalised by their sum. */
  train: number;
  val: number;
  test: number;
  salt?: string;
  /**
   * A regular expression over the file name whose first capture group (or whole match) is the
   * group key, e.g. `^(scene\d+)_` or `^([^/]+)/`. Images it does not match are their own group.
   */
  groupBy?: string;
}

export const DEFAULT_SPLIT: SplitConfig = { train: 0.8, val: 0.1, test: 0.1, salt: '' };

/** Why a split configuration cannot be used, or null. */
export function splitConfigProblem(c: SplitConfig): string | null {
  for (const k of SPLIT_ORDER) {
    const v = c[k];
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) return `split.${k}: expected a number ≥ 0`;
  }
  if (c.train + c.val + c.test <= 0) return 'split: the ratios add up to 0';
  if (c.groupBy !== undefined) {
    try {
      new RegExp(c.groupBy);
    } catch (e) {
      return `split.groupBy: not a regular expression (${(e as Error).message})`;
    }
  }
  return null;
}

const encoder = new TextEncoder();

/** A number in [0, 1) from the salted key: the first 48 bits of SHA-256(salt NUL key). */
export function splitHash(salt: string, key: string): number {
  const d = digest(encoder.encode(`${salt}\u0000${key}`));
  return (d[0] * 2 ** 40 + d[1] * 2 ** 32 + d[2] * 2 ** 24 + d[3] * 2 ** 16 + d[4] * 2 ** 8 + d[5]) / 2 ** 48;
}

/** The split a hash value falls into under the ratios. */
export function splitOf(h: number, c: SplitConfig): Split {
  const total = c.train + c.val + c.test;
  if (h < c.train / total) return 'train';
  if (h < (c.train + c.val) / total) return 'val';
  return 'test';
}

/** The group key of a file name under `groupBy`, or null when it does not match. */
export function groupKey(pattern: RegExp | null, fileName: string): string | null {
  if (!pattern) return null;
  const m = pattern.exec(fileName);
  if (!m) return null;
  return m[1] ?? m[0];
}

export interface SplitImage {
  blob: string;
  fileName: string;
}

/**
 * Splits for `images` (blob → split). `parent` is the parent release's blob → split: those images
 * keep theirs; a new image whose group has members in the parent takes the split of the group's
 * first member there (by blob), so a group stays together; every other image is hashed.
 */
export function assignSplits(images: readonly SplitImage[], config: SplitConfig, parent: ReadonlyMap<string, Split> = new Map()): Map<string, Split> {
  const salt = config.salt ?? '';
  const pattern = config.groupBy !== undefined ? new RegExp(config.groupBy) : null;
  const keyOf = (im: SplitImage) => {
    const g = groupKey(pattern, im.fileName);
    return g === null ? `blob:${im.blob}` : `group:${g}`;
  };
  // The parent split of each group, from the group's first parent member by blob.
  const groupSplit = new Map<string, { blob: string; split: Split }>();
  for (const im of images) {
    const s = parent.get(im.blob);
    if (s === undefined) continue;
    const k = keyOf(im);
    const prev = groupSplit.get(k);
    if (!prev || im.blob < prev.blob) groupSplit.set(k, { blob: im.blob, split: s });
  }
  const out = new Map<string, Split>();
  for (const im of images) {
    const kept = parent.get(im.blob);
    if (kept !== undefined) {
      out.set(im.blob, kept);
      continue;
    }
    const k = keyOf(im);
    const g = groupSplit.get(k);
    out.set(im.blob, g ? g.split : splitOf(splitHash(salt, k.startsWith('blob:') ? k.slice(5) : k), config));
  }
  return out;
}
