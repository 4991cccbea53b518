import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { assignSplits, splitConfigProblem, type SplitConfig } from './splits.ts';
import type { Split } from './manifest.ts';

const sha = (s: string) => createHash('sha256').update(s).digest('hex');
const images = (n: number, name = (i: number) => `img-${i}.jpg`) => Array.from({ length: n }, (_, i) => ({ blob: sha(`blob ${i}`), fileName: name(i) }));
const tally = (m: Map<string, Split>) => {
  const t = { train: 0, val: 0, test: 0 };
  for (const s of m.values()) t[s]++;
  return t;
};

describe('release splits', () => {
  it('meets the ratios within ±2% on 10,000 images', () => {
    const cfg: SplitConfig = { train: 0.7, val: 0.2, test: 0.1, salt: 'seed-1' };
    const t = tally(assignSplits(images(10_000), cfg));
    expect(Math.abs(t.train / 10_000 - 0.7)).toBeLessThan(0.02);
    expect(Math.abs(t.val / 10_000 - 0.2)).toBeLessThan(0.02);
    expect(Math.abs(t.test / 10_000 - 0.1)).toBeLessThan(0.02);
  });

  it('is deterministic, depends on the salt, and normalises weights', () => {
    const ims = images(500);
    const a = assignSplits(ims, { train: 8, val: 1, test: 1, salt: 's' });
    const b = assignSplits(ims.slice().reverse(), { train: 0.8, val: 0.1, test: 0.1, salt: 's' });
    expect([...a].sort()).toEqual([...b].sort());
    const c = assignSplits(ims, { train: 0.8, val: 0.1, test: 0.1, salt: 'other' });
    expect([...a].filter(([k, v]) => c.get(k) !== v).length).toBeGreaterThan(0);
    expect(tally(assignSplits(ims, { train: 1, val: 0, test: 0 }))).toEqual({ train: 500, val: 0, test: 0 });
  });

  it('keeps every image of the parent in its split when ratios change', () => {
    const ims = images(2_000);
    const parent = assignSplits(ims.slice(0, 1_000), { train: 0.8, val: 0.1, test: 0.1 });
    const child = assignSplits(ims, { train: 0.5, val: 0.25, test: 0.25 }, parent);
    for (const [blob, s] of parent) expect(child.get(blob)).toBe(s);
    const fresh = tally(new Map([...child].filter(([b]) => !parent.has(b))));
    expect(fresh.train / 1_000).toBeGreaterThan(0.42);
    expect(fresh.train / 1_000).toBeLessThan(0.58);
  });

  it('never lets a group key straddle splits, also across releases', () => {
    const name = (i: number) => `scene${i % 97}_frame${i}.jpg`;
    const ims = images(3_000, name);
    const cfg: SplitConfig = { train: 0.6, val: 0.2, test: 0.2, salt: 'g', groupBy: '^(scene\\d+)_' };
    const check = (m: Map<string, Split>) => {
      const bySceneSplit = new Map<string, Set<Split>>();
      ims.forEach((im) => {
        const s = m.get(im.blob);
        if (s === undefined) return;
        const scene = im.fileName.split('_')[0];
        (bySceneSplit.get(scene) ?? bySceneSplit.set(scene, new Set()).get(scene)!).add(s);
      });
      for (const [scene, set] of bySceneSplit) expect(set.size, scene).toBe(1);
      return bySceneSplit;
    };
    const parent = assignSplits(ims.slice(0, 1_000), cfg);
    const scenes = check(parent);
    expect(new Set([...scenes.values()].map((s) => [...s][0])).size).toBe(3);
    const child = assignSplits(ims, cfg, parent);
    check(child);
    for (const [blob, s] of parent) expect(child.get(blob)).toBe(s);
  });

  it('names a bad configuration', () => {
    expect(splitConfigProblem({ train: -1, val: 0, test: 0 })).toMatch(/split\.train/);
    expect(splitConfigProblem({ train: 0, val: 0, test: 0 })).toMatch(/add up to 0/);
    expect(splitConfigProblem({ train: 1, val: 0, test: 0, groupBy: '(' })).toMatch(/split\.groupBy/);
    expect(splitConfigProblem({ train: 1, val: 1, test: 1 })).toBeNull();
  });
});
