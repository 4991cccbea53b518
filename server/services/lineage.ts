// The lineage graph (DESIGN.md "Lineage and audit"): from the release records and the runs, the
// release chain with its runs (release view), and for a run also its release's images and the
// people behind them, read from the provenance stored with each approved revision the manifest
// names (shared/api/lineage.ts draws the graph). A run that names a split is answered for the
// images of that split ("whose labels are in the test split this model fails on").
import { badRequest, notFound } from '../../shared/errors.ts';
import type { ImageId, ProjectId, Sha256, UserId } from '../../shared/ids.ts';
import { nodeId, peopleBehind, releaseLineage, runLineage, type ImageOrigin, type LineageImage, type LineageRelease, type LineageRun, type LineageView } from '../../shared/api/lineage.ts';
import type { BlobStore } from '../ports/blob-store.ts';
import type { ReleaseRecord } from '../ports/releases.ts';
import { loadManifest } from './release-manifests.ts';
import { resolveRelease } from './release-read.ts';
import { allRuns, type RunDeps } from './runs.ts';

export interface LineageDeps extends RunDeps {
  blobs: BlobStore;
}

async function allReleases(d: LineageDeps, projectId: ProjectId): Promise<ReleaseRecord[]> {
  const out: ReleaseRecord[] = [];
  let before: number | undefined;
  for (;;) {
    const page = await d.releases.list(projectId, { limit: 500, before });
    out.push(...page);
    if (page.length < 500) return out.reverse();
    before = page[page.length - 1].number;
  }
}

const asLineageRelease = (r: ReleaseRecord): LineageRelease => ({
  id: r.id,
  number: r.number,
  parentId: r.parentId,
  createdAt: r.createdAt,
  images: r.counts.images,
  shapes: r.counts.shapes,
  diff: r.parentId ? r.diff.counts : null,
});

const asLineageRun = (r: Awaited<ReturnType<typeof allRuns>>[number]): LineageRun => ({
  id: r.id,
  model: r.model,
  version: r.version,
  releaseId: r.releaseId,
  split: r.split,
  metrics: r.metrics,
  createdAt: r.createdAt,
});

export async function lineage(d: LineageDeps, projectId: ProjectId, q: { run?: string; release?: string }): Promise<LineageView> {
  if (q.run && q.release) throw badRequest('query: give run or release, not both');
  const [releases, runs] = await Promise.all([allReleases(d, projectId), allRuns(d, projectId)]);
  const lr = releases.map(asLineageRelease);
  const lruns = runs.map(asLineageRun);
  if (q.run) {
    const run = runs.find((r) => r.id === q.run);
    if (!run) throw notFound(`run ${q.run.slice(0, 40)}`);
    const { images, origins } = await imagesBehind(d, projectId, run.releaseId, run.split);
    const names = await usernames(d, origins);
    const g = runLineage(lr, lruns, run.id, peopleBehind(origins, (id) => names.get(id) ?? id));
    return { ...g, focus: nodeId.run(run.id), split: run.split, images: images.map((im) => ({ ...im, annotators: im.annotators.map((u) => names.get(u) ?? u).sort(), reviewer: im.reviewer ? (names.get(im.reviewer) ?? im.reviewer) : null })) };
  }
  const focus = q.release ? await resolveRelease(d, projectId, q.release) : releases.at(-1);
  if (!focus) return { nodes: [], edges: [], focus: null };
  return { ...releaseLineage(lr, lruns, focus.id), focus: nodeId.release(focus.id) };
}

/** The release's images (in `split` when given) with the origin of each: its revision's provenance and approver. */
async function imagesBehind(d: LineageDeps, projectId: ProjectId, releaseId: Sha256, split: string | null) {
  const manifest = await loadManifest(d, releaseId);
  const images: LineageImage[] = [];
  const origins: ImageOrigin[] = [];
  for (const im of manifest.images) {
    if (split && im.split !== split) continue;
    const row = await d.data.images.bySha(projectId, im.blob as Sha256);
    const rev = row ? await d.data.review.revision(row.id as ImageId, im.revision as Sha256) : null;
    const origin: ImageOrigin = { provenance: rev?.provenance ?? {}, approvedBy: rev?.approvedBy ?? null };
    origins.push(origin);
    const touched = new Set<string>();
    for (const o of Object.values(origin.provenance)) for (const u of [o.createdBy, o.changedBy]) if (u) touched.add(u);
    images.push({ imageId: row?.id ?? null, fileName: im.fileName, split: im.split, shapes: im.shapes.length, annotators: [...touched].sort(), reviewer: origin.approvedBy });
  }
  return { images, origins };
}

async function usernames(d: LineageDeps, origins: readonly ImageOrigin[]): Promise<Map<string, string>> {
  const ids = new Set<string>();
  for (const o of origins) {
    if (o.approvedBy) ids.add(o.approvedBy);
    for (const p of Object.values(o.provenance)) for (const u of [p.createdBy, p.changedBy]) if (u) ids.add(u);
  }
  const out = new Map<string, string>();
  for (const id of ids) out.set(id, (await d.data.users.byId(id as UserId))?.username ?? id);
  return out;
}
