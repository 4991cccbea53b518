// The lineage graph of a seeded history (releases 1 → 2 → 3, four runs) against nodes and edges
// written out by hand, from a release and from a run.
import { describe, expect, it } from 'vitest';
import { peopleBehind, releaseLineage, runLineage, type DiffCounts, type LineageRelease, type LineageRun } from './lineage.ts';

const diff = (imagesAdded: number, shapesAdded: number): DiffCounts => ({
  imagesAdded, imagesRemoved: 0, imagesChanged: 0, shapesAdded, shapesRemoved: 0, shapesMoved: 0, shapesRelabelled: 0, shapesChanged: 0,
});
const R1: LineageRelease = { id: 'r1', number: 1, parentId: null, createdAt: 10, images: 4, shapes: 10, diff: null };
const R2: LineageRelease = { id: 'r2', number: 2, parentId: 'r1', createdAt: 20, images: 6, shapes: 15, diff: diff(2, 5) };
const R3: LineageRelease = { id: 'r3', number: 3, parentId: 'r2', createdAt: 30, images: 7, shapes: 19, diff: diff(1, 4) };
const run = (id: string, releaseId: string, mAP: number, createdAt: number): LineageRun => ({
  id, model: 'det', version: `v${id}`, releaseId, split: 'test', metrics: { mAP, ap: { car: mAP } }, createdAt,
});
// listed out of order on purpose: the graph orders runs by release, then time
const RUNS = [run('c', 'r3', 0.7, 35), run('a', 'r1', 0.5, 12), run('d', 'r3', 0.72, 36), run('b', 'r2', 0.6, 22)];
const RELEASES = [R3, R1, R2];

const relNode = (r: LineageRelease) => ({ id: `release:${r.id}`, kind: 'release', releaseId: r.id, number: r.number, createdAt: r.createdAt, images: r.images, shapes: r.shapes });
const runNode = (r: LineageRun) => ({ id: `run:${r.id}`, kind: 'run', runId: r.id, model: 'det', version: r.version, split: 'test', metrics: r.metrics, createdAt: r.createdAt });
const [c, a, d, b] = RUNS;

describe('lineage graph', () => {
  it('from a release: the whole chain through it and every run on it', () => {
    expect(releaseLineage(RELEASES, RUNS, 'r2')).toEqual({
      nodes: [relNode(R1), relNode(R2), relNode(R3), runNode(a), runNode(b), runNode(c), runNode(d)],
      edges: [
        { from: 'release:r1', to: 'release:r2', kind: 'parent', counts: diff(2, 5) },
        { from: 'release:r2', to: 'release:r3', kind: 'parent', counts: diff(1, 4) },
        { from: 'release:r1', to: 'run:a', kind: 'run' },
        { from: 'release:r2', to: 'run:b', kind: 'run' },
        { from: 'release:r3', to: 'run:c', kind: 'run' },
        { from: 'release:r3', to: 'run:d', kind: 'run' },
      ],
    });
  });

  it('from a run: its release, its images and the people behind them, with counts', () => {
    const people = {
      images: 7,
      annotators: [
        { userId: 'u2', username: 'bea', images: 3, shapes: 8 },
        { userId: 'u1', username: 'al', images: 4, shapes: 11 },
      ],
      reviewers: [{ userId: 'u3', username: 'cy', images: 7 }],
    };
    const g = runLineage(RELEASES, RUNS, 'd', people);
    expect(g.nodes.slice(7)).toEqual([
      { id: 'images:r3', kind: 'images', releaseId: 'r3', count: 7 },
      { id: 'person:u1', kind: 'person', userId: 'u1', username: 'al' },
      { id: 'person:u2', kind: 'person', userId: 'u2', username: 'bea' },
      { id: 'person:u3', kind: 'person', userId: 'u3', username: 'cy' },
    ]);
    expect(g.edges.slice(6)).toEqual([
      { from: 'release:r3', to: 'images:r3', kind: 'contains', counts: { images: 7 } },
      { from: 'person:u2', to: 'images:r3', kind: 'annotated', counts: { images: 3, shapes: 8 } },
      { from: 'person:u1', to: 'images:r3', kind: 'annotated', counts: { images: 4, shapes: 11 } },
      { from: 'person:u3', to: 'images:r3', kind: 'reviewed', counts: { images: 7 } },
    ]);
    expect(g.nodes.slice(0, 7)).toEqual(releaseLineage(RELEASES, RUNS, 'r3').nodes);
  });

  it('a branch off the chain is left out; an unknown focus is an empty graph', () => {
    const side: LineageRelease = { ...R3, id: 'r4', number: 4, parentId: 'r1' };
    const ids = releaseLineage([...RELEASES, side], RUNS, 'r3').nodes.filter((n) => n.kind === 'release').map((n) => n.id);
    expect(ids).toEqual(['release:r1', 'release:r2', 'release:r3']);
    expect(releaseLineage(RELEASES, RUNS, 'nope')).toEqual({ nodes: [], edges: [] });
    expect(runLineage(RELEASES, RUNS, 'nope', { images: 0, annotators: [], reviewers: [] })).toEqual({ nodes: [], edges: [] });
  });
});

describe('peopleBehind', () => {
  it('counts created shapes, touched images and approvals per person from the stored provenance', () => {
    const names: Record<string, string> = { u1: 'al', u2: 'bea', u3: 'cy' };
    const people = peopleBehind(
      [
        { provenance: { s1: { createdBy: 'u1', changedBy: 'u1' }, s2: { createdBy: 'u1', changedBy: 'u2' } }, approvedBy: 'u3' },
        { provenance: { s3: { createdBy: 'u2', changedBy: 'u2' }, s4: { createdBy: null, changedBy: null } }, approvedBy: 'u3' },
        { provenance: {}, approvedBy: 'u1' },
      ],
      (id) => names[id],
    );
    expect(people).toEqual({
      images: 3,
      annotators: [
        { userId: 'u1', username: 'al', images: 1, shapes: 2 },
        { userId: 'u2', username: 'bea', images: 2, shapes: 1 },
      ],
      reviewers: [
        { userId: 'u3', username: 'cy', images: 2 },
        { userId: 'u1', username: 'al', images: 1 },
      ],
    });
  });
});
