// The lineage graph (`GET /api/projects/:id/lineage?run=ID | ?release=REF` → {nodes, edges}): the
// release chain (parent → child, with diff counts), the model runs hanging off each release with
// their metrics, and, from a run, its release's images and the people who labelled and reviewed
// them, with counts. Pure: the server gathers the records, this file draws the graph.
import type { ReleaseDiff } from '../release/diff.ts';
import { z } from 'zod';
import type { Metrics } from './runs.ts';

export const NODE_KINDS = { release: 'release', run: 'run', images: 'images', person: 'person' } as const;
export type NodeKind = (typeof NODE_KINDS)[keyof typeof NODE_KINDS];

export const EDGE_KINDS = {
  /** Parent release → child release. */
  parent: 'parent',
  /** Release → a run measured against it. */
  run: 'run',
  /** Release → its images. */
  contains: 'contains',
  /** Person → the images whose shapes they created or last changed. */
  annotated: 'annotated',
  /** Person → the images they approved. */
  reviewed: 'reviewed',
} as const;
export type EdgeKind = (typeof EDGE_KINDS)[keyof typeof EDGE_KINDS];

export type DiffCounts = ReleaseDiff['counts'];

/** What the graph needs of a release. */
export interface LineageRelease {
  id: string;
  number: number;
  parentId: string | null;
  createdAt: number;
  images: number;
  shapes: number;
  /** Against the parent; null for the first release. */
  diff: DiffCounts | null;
}

/** What the graph needs of a run. */
export interface LineageRun {
  id: string;
  model: string;
  version: string;
  releaseId: string;
  split: string | null;
  metrics: Metrics;
  createdAt: number;
}

/** Who is behind a release's images (from the provenance stored with each approved revision). */
export interface LineagePeople {
  images: number;
  annotators: { userId: string; username: string; images: number; shapes: number }[];
  reviewers: { userId: string; username: string; images: number }[];
}

export type LineageNode =
  | { id: string; kind: 'release'; releaseId: string; number: number; createdAt: number; images: number; shapes: number }
  | { id: string; kind: 'run'; runId: string; model: string; version: string; split: string | null; metrics: Metrics; createdAt: number }
  | { id: string; kind: 'images'; releaseId: string; count: number }
  | { id: string; kind: 'person'; userId: string; username: string };

export interface LineageEdge {
  from: string;
  to: string;
  kind: EdgeKind;
  /** parent: the diff counts; annotated: images and shapes; reviewed: images. */
  counts?: Record<string, number>;
}

export interface LineageGraph {
  nodes: LineageNode[];
  edges: LineageEdge[];
}

export const nodeId = {
  release: (id: string) => `release:${id}`,
  run: (id: string) => `run:${id}`,
  images: (releaseId: string) => `images:${releaseId}`,
  person: (userId: string) => `person:${userId}`,
};

/** The releases `focus` descends from and that descend from it, oldest first (one chain of the tree). */
function chainThrough(releases: readonly LineageRelease[], focus: LineageRelease): LineageRelease[] {
  const byId = new Map(releases.map((r) => [r.id, r]));
  const up: LineageRelease[] = [];
  const seen = new Set<string>();
  for (let r: LineageRelease | undefined = focus; r && !seen.has(r.id); r = r.parentId ? byId.get(r.parentId) : undefined) (up.unshift(r), seen.add(r.id));
  const down: LineageRelease[] = [];
  const frontier = [focus.id];
  while (frontier.length) {
    const id = frontier.shift()!;
    for (const r of releases) if (r.parentId === id && !seen.has(r.id)) (down.push(r), seen.add(r.id), frontier.push(r.id));
  }
  return [...up, ...down.sort((a, b) => a.number - b.number)];
}

function releaseNode(r: LineageRelease): LineageNode {
  return { id: nodeId.release(r.id), kind: 'release', releaseId: r.id, number: r.number, createdAt: r.createdAt, images: r.images, shapes: r.shapes };
}

function runNode(r: LineageRun): LineageNode {
  return { id: nodeId.run(r.id), kind: 'run', runId: r.id, model: r.model, version: r.version, split: r.split, metrics: r.metrics, createdAt: r.createdAt };
}

/** The chain through a release with every run on it (the release view). */
export function releaseLineage(releases: readonly LineageRelease[], runs: readonly LineageRun[], focusId: string): LineageGraph {
  const focus = releases.find((r) => r.id === focusId);
  if (!focus) return { nodes: [], edges: [] };
  const chain = chainThrough(releases, focus);
  const inChain = new Set(chain.map((r) => r.id));
  const nodes: LineageNode[] = chain.map(releaseNode);
  const edges: LineageEdge[] = [];
  for (const r of chain) {
    if (r.parentId && inChain.has(r.parentId)) edges.push({ from: nodeId.release(r.parentId), to: nodeId.release(r.id), kind: 'parent', ...(r.diff ? { counts: { ...r.diff } } : {}) });
  }
  const order = new Map(chain.map((r, i) => [r.id, i]));
  const onChain = runs.filter((r) => inChain.has(r.releaseId)).sort((a, b) => order.get(a.releaseId)! - order.get(b.releaseId)! || a.createdAt - b.createdAt || (a.id < b.id ? -1 : 1));
  for (const run of onChain) {
    nodes.push(runNode(run));
    edges.push({ from: nodeId.release(run.releaseId), to: nodeId.run(run.id), kind: 'run' });
  }
  return { nodes, edges };
}

/** The run view: the chain through its release with its runs, plus that release's images and the people behind them. */
export function runLineage(releases: readonly LineageRelease[], runs: readonly LineageRun[], runId: string, people: LineagePeople): LineageGraph {
  const run = runs.find((r) => r.id === runId);
  if (!run) return { nodes: [], edges: [] };
  const g = releaseLineage(releases, runs, run.releaseId);
  const images = nodeId.images(run.releaseId);
  g.nodes.push({ id: images, kind: 'images', releaseId: run.releaseId, count: people.images });
  g.edges.push({ from: nodeId.release(run.releaseId), to: images, kind: 'contains', counts: { images: people.images } });
  const persons = new Map<string, string>();
  for (const a of people.annotators) persons.set(a.userId, a.username);
  for (const r of people.reviewers) persons.set(r.userId, r.username);
  for (const [userId, username] of [...persons].sort((a, b) => (a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0))) g.nodes.push({ id: nodeId.person(userId), kind: 'person', userId, username });
  for (const a of people.annotators) g.edges.push({ from: nodeId.person(a.userId), to: images, kind: 'annotated', counts: { images: a.images, shapes: a.shapes } });
  for (const r of people.reviewers) g.edges.push({ from: nodeId.person(r.userId), to: images, kind: 'reviewed', counts: { images: r.images } });
  return g;
}

/** One image of a release as the people count reads it: its shapes' provenance and who approved it. */
export interface ImageOrigin {
  provenance: Record<string, { createdBy: string | null; changedBy: string | null }>;
  approvedBy: string | null;
}

/**
 * The people behind a release's images: an annotator's `shapes` are the shapes they created, their
 * `images` those where they created or last changed at least one shape; a reviewer's `images` those
 * they approved. Server writes (null) name no one. Sorted by most shapes, then name.
 */
export function peopleBehind(images: readonly ImageOrigin[], username: (userId: string) => string): LineagePeople {
  const ann = new Map<string, { images: number; shapes: number }>();
  const rev = new Map<string, number>();
  for (const img of images) {
    const touched = new Set<string>();
    for (const o of Object.values(img.provenance)) {
      if (o.createdBy != null) {
        const a = ann.get(o.createdBy) ?? { images: 0, shapes: 0 };
        a.shapes++;
        ann.set(o.createdBy, a);
        touched.add(o.createdBy);
      }
      if (o.changedBy != null) touched.add(o.changedBy);
    }
    for (const u of touched) {
      const a = ann.get(u) ?? { images: 0, shapes: 0 };
      a.images++;
      ann.set(u, a);
    }
    if (img.approvedBy != null) rev.set(img.approvedBy, (rev.get(img.approvedBy) ?? 0) + 1);
  }
  const byName = (x: { username: string }, y: { username: string }) => (x.username < y.username ? -1 : x.username > y.username ? 1 : 0);
  return {
    images: images.length,
    annotators: [...ann].map(([userId, a]) => ({ userId, username: username(userId), ...a })).sort((x, y) => y.shapes - x.shapes || byName(x, y)),
    reviewers: [...rev].map(([userId, n]) => ({ userId, username: username(userId), images: n })).sort((x, y) => y.images - x.images || byName(x, y)),
  };
}

/** `GET /api/projects/:id/lineage`: one of `run` or `release`; neither means the latest release. */
export const LineageQuery = z
  .strictObject({ run: z.string().min(1).max(64).optional(), release: z.string().min(1).max(80).optional() })
  .refine((q) => !(q.run && q.release), { message: 'give run or release, not both', path: ['run'] });

/** One image behind a run (its release's images in the run's split), with the people behind it. */
export interface LineageImage {
  imageId: string | null;
  fileName: string;
  split: string;
  shapes: number;
  /** Usernames of who created or last changed its shapes. */
  annotators: string[];
  /** Username of who approved the revision in the release. */
  reviewer: string | null;
}

/** The response: the graph, the node it is drawn around, and for a run the images behind it. */
export interface LineageView extends LineageGraph {
  focus: string | null;
  /** For a run view: the split whose images the people are counted over (null: all of them). */
  split?: string | null;
  images?: LineageImage[];
}
