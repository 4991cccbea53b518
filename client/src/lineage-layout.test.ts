// The lineage layout (dagre) and the metric series, on a hand-made graph of three releases and
// four runs: releases left to right in number order, each run right of its release, no overlaps;
// series per model and split, per-class maps as their mean, the newest run on a release winning.
import { describe, expect, it } from 'vitest';
import type { LineageEdge, LineageNode } from '../../shared/api/lineage.ts';
import { LINEAGE_NODE, layoutLineage, metricNames, metricSeries } from './lineage-layout.ts';

const rel = (n: number): LineageNode => ({ id: `release:r${n}`, kind: 'release', releaseId: `r${n}`, number: n, createdAt: n, images: 3, shapes: n });
const run = (id: string, model: string, split: string | null, metrics: Record<string, number | Record<string, number>>, createdAt: number): LineageNode => ({
  id: `run:${id}`, kind: 'run', runId: id, model, version: '1', split, metrics, createdAt,
});
const nodes: LineageNode[] = [
  rel(1), rel(2), rel(3),
  run('a', 'det', 'test', { mAP: 0.4, AP: { car: 0.5, dog: 0.3 } }, 10),
  run('b', 'det', 'test', { mAP: 0.45 }, 20),
  run('c', 'det', 'test', { mAP: 0.47 }, 30),
  run('d', 'seg', null, { IoU: 0.6 }, 40),
  { id: 'images:r1', kind: 'images', releaseId: 'r1', count: 3 },
];
const edges: LineageEdge[] = [
  { from: 'release:r1', to: 'release:r2', kind: 'parent' },
  { from: 'release:r2', to: 'release:r3', kind: 'parent' },
  { from: 'release:r1', to: 'run:a', kind: 'run' },
  { from: 'release:r2', to: 'run:b', kind: 'run' },
  { from: 'release:r2', to: 'run:c', kind: 'run' },
  { from: 'release:r3', to: 'run:d', kind: 'run' },
  { from: 'release:r1', to: 'images:r1', kind: 'contains' },
];

describe('lineage layout', () => {
  it('puts releases left to right and each run to the right of its release, without overlaps', () => {
    const l = layoutLineage(nodes, edges);
    const at = new Map(l.nodes.map((p) => [p.node.id, p]));
    expect([...at.keys()].sort()).toEqual(['release:r1', 'release:r2', 'release:r3', 'run:a', 'run:b', 'run:c', 'run:d']);
    expect(at.get('release:r1')!.x).toBeLessThan(at.get('release:r2')!.x);
    expect(at.get('release:r2')!.x).toBeLessThan(at.get('release:r3')!.x);
    for (const [r, runId] of [['r1', 'a'], ['r2', 'b'], ['r2', 'c'], ['r3', 'd']]) expect(at.get(`run:${runId}`)!.x).toBeGreaterThan(at.get(`release:${r}`)!.x);
    const boxes = l.nodes;
    for (let i = 0; i < boxes.length; i++)
      for (let j = i + 1; j < boxes.length; j++) {
        const a = boxes[i], b = boxes[j];
        const apart = a.x + LINEAGE_NODE.width <= b.x || b.x + LINEAGE_NODE.width <= a.x || a.y + LINEAGE_NODE.height <= b.y || b.y + LINEAGE_NODE.height <= a.y;
        expect(apart, `${a.node.id} / ${b.node.id}`).toBe(true);
      }
    expect(l.edges.map((e) => e.edge.to)).toEqual(['release:r2', 'release:r3', 'run:a', 'run:b', 'run:c', 'run:d']);
    for (const e of l.edges) expect(e.d).toMatch(/^M[\d.]+,[\d.]+( L[\d.]+,[\d.]+)+$/);
    for (const p of l.nodes) expect(p.x + LINEAGE_NODE.width).toBeLessThanOrEqual(l.width);
  });

  it('gives the metric names and one series per model and split across releases', () => {
    expect(metricNames(nodes)).toEqual(['AP', 'IoU', 'mAP']);
    expect(metricSeries(nodes, edges, 'mAP')).toEqual([{ name: 'det · test', points: [{ release: 1, value: 0.4, runId: 'a' }, { release: 2, value: 0.47, runId: 'c' }] }]);
    expect(metricSeries(nodes, edges, 'AP')).toEqual([{ name: 'det · test', points: [{ release: 1, value: 0.4, runId: 'a' }] }]);
    expect(metricSeries(nodes, edges, 'IoU')).toEqual([{ name: 'seg · all', points: [{ release: 3, value: 0.6, runId: 'd' }] }]);
  });
});
