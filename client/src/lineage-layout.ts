// Layout of the lineage graph (releases and the model runs on them) with dagre: left to right, a
// release's child and its runs one column further on, edges as SVG paths through dagre's points;
// and the metric chart's series (one per model and split, a point per release). Pure: no DOM.
import dagre from '@dagrejs/dagre';
import { metricNumber } from '../../shared/api/runs.ts';
import type { LineageEdge, LineageNode } from '../../shared/api/lineage.ts';

export const LINEAGE_NODE = { width: 204, height: 60 } as const;

export type DrawnNode = Extract<LineageNode, { kind: 'release' } | { kind: 'run' }>;

export interface PlacedNode {
  node: DrawnNode;
  x: number;
  y: number;
}

export interface PlacedEdge {
  edge: LineageEdge;
  d: string;
  /** Where a label (diff counts) goes: the middle point. */
  mid: { x: number; y: number };
}

export interface LineageLayout {
  nodes: PlacedNode[];
  edges: PlacedEdge[];
  width: number;
  height: number;
}

const drawn = (n: LineageNode): n is DrawnNode => n.kind === 'release' || n.kind === 'run';

/** Lays out the releases and runs of a graph (images and people are shown beside it, not in it). */
export function layoutLineage(nodes: readonly LineageNode[], edges: readonly LineageEdge[]): LineageLayout {
  const g = new dagre.graphlib.Graph();
  g.setGraph({ rankdir: 'LR', nodesep: 14, ranksep: 36, marginx: 8, marginy: 8 });
  g.setDefaultEdgeLabel(() => ({}));
  const shown = nodes.filter(drawn);
  const ids = new Set(shown.map((n) => n.id));
  for (const n of shown) g.setNode(n.id, { width: LINEAGE_NODE.width, height: LINEAGE_NODE.height });
  const kept = edges.filter((e) => ids.has(e.from) && ids.has(e.to));
  for (const e of kept) g.setEdge(e.from, e.to, { weight: e.kind === 'parent' ? 4 : 1 });
  dagre.layout(g);
  const placed = shown.map((node) => {
    const p = g.node(node.id);
    return { node, x: p.x - LINEAGE_NODE.width / 2, y: p.y - LINEAGE_NODE.height / 2 };
  });
  const paths = kept.map((edge) => {
    const pts: { x: number; y: number }[] = g.edge(edge.from, edge.to).points ?? [];
    const d = pts.map((p, i) => `${i ? 'L' : 'M'}${p.x.toFixed(1)},${p.y.toFixed(1)}`).join(' ');
    return { edge, d, mid: pts[Math.floor(pts.length / 2)] ?? { x: 0, y: 0 } };
  });
  const label = g.graph();
  return { nodes: placed, edges: paths, width: Math.ceil(label.width ?? 0), height: Math.ceil(label.height ?? 0) };
}

/** Every metric name the runs report, sorted. */
export function metricNames(nodes: readonly LineageNode[]): string[] {
  const names = new Set<string>();
  for (const n of nodes) if (n.kind === 'run') for (const k of Object.keys(n.metrics)) names.add(k);
  return [...names].sort();
}

export interface MetricSeries {
  /** `model · split` */
  name: string;
  points: { release: number; value: number; runId: string }[];
}

/**
 * A metric across releases: one series per model and split, a point per release (the newest run
 * of that series on it); per-class maps count as their mean.
 */
export function metricSeries(nodes: readonly LineageNode[], edges: readonly LineageEdge[], metric: string): MetricSeries[] {
  const releaseOf = new Map<string, number>();
  const numberOf = new Map(nodes.filter((n) => n.kind === 'release').map((n) => [n.id, (n as Extract<LineageNode, { kind: 'release' }>).number]));
  for (const e of edges) if (e.kind === 'run' && numberOf.has(e.from)) releaseOf.set(e.to, numberOf.get(e.from)!);
  const series = new Map<string, Map<number, { value: number; runId: string; at: number }>>();
  for (const n of nodes) {
    if (n.kind !== 'run') continue;
    const release = releaseOf.get(n.id);
    const value = metricNumber(n.metrics, metric);
    if (release === undefined || value === null) continue;
    const name = `${n.model} · ${n.split ?? 'all'}`;
    const s = series.get(name) ?? series.set(name, new Map()).get(name)!;
    const had = s.get(release);
    if (!had || had.at <= n.createdAt) s.set(release, { value, runId: n.runId, at: n.createdAt });
  }
  return [...series]
    .sort((a, b) => (a[0] < b[0] ? -1 : 1))
    .map(([name, s]) => ({ name, points: [...s].sort((a, b) => a[0] - b[0]).map(([release, p]) => ({ release, value: p.value, runId: p.runId })) }));
}
