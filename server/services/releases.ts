// Cutting a release (DESIGN.md "Releases"): the latest approved revision of every image that has
// one, decoded through the shared document module into the canonical manifest; the release id is
// the manifest's SHA-256, so the same approved state cut twice is answered with the existing
// release (no new number). Live documents are never read: an edit during a cut changes nothing.
// A project's release gate (release-gate.ts) checks the manifest before anything is stored.
import { createHash } from 'node:crypto';
import { AppError, badRequest } from '../../shared/errors.ts';
import type { ProjectId, Sha256, UserId } from '../../shared/ids.ts';
import {
  assignSplits,
  buildManifest,
  DEFAULT_SPLIT,
  diffManifests,
  generatedNotes,
  manifestBytes,
  releaseCounts,
  revisionContent,
  splitConfigProblem,
  type Manifest,
  type ManifestImageInput,
  type Split,
  type SplitConfig,
} from '../../shared/release/index.ts';
import type { BlobStore } from '../ports/blob-store.ts';
import type { BlobReferenceSource } from '../ports/blob-references.ts';
import type { EventBus } from '../ports/event-bus.ts';
import type { JobQueue } from '../ports/job-queue.ts';
import type { CutBody } from '../../shared/api/releases.ts';
import type { ApprovedRevision, CutReport, ReleaseRecord, ReleaseRepo, RevisionSource } from '../ports/releases.ts';
import type { DataStore } from '../ports/repositories.ts';
import { audit } from './audit.ts';
import { now } from './ids.ts';
import { loadManifest, lru, type ReleaseCaches } from './release-manifests.ts';
import { manifestStateKey, stateKey } from './release-state.ts';
import { enforceGate } from './release-gate.ts';

export interface ReleaseDeps {
  data: DataStore;
  releases: ReleaseRepo;
  revisions: RevisionSource;
  blobs: BlobStore;
  events?: EventBus;
  /** Parsed manifests and their blob indexes, owned by this set of deps (`releaseCaches()`). */
  caches: ReleaseCaches;
}

export interface CutOptions {
  notes?: string;
  split?: SplitConfig;
  /** 0–1 and a message, e.g. the job's progress. */
  progress?(fraction: number, message: string): void;
  signal?: AbortSignal;
}

export interface CutResult {
  release: ReleaseRecord;
  /** False when the approved state equals an existing release (answered with it). */
  created: boolean;
  report: CutReport;
}

export const sha256Hex = (bytes: Uint8Array): Sha256 => createHash('sha256').update(bytes).digest('hex') as Sha256;

export const MAX_NOTES = 10_000;
/** The built-in stage that cuts (server/jobs/stages/release.ts). */
export const RELEASE_STAGE_NAME = 'release';

/** What a cut would include now: for the "Cut release" dialog and the cut's own report. */
export async function cutPreview(d: Pick<ReleaseDeps, 'data' | 'revisions'>, projectId: ProjectId): Promise<CutReport & { images: number }> {
  const [revs, images] = await Promise.all([d.revisions.latestApproved(projectId), allImages(d.data, projectId)]);
  const withRevision = new Set(revs.map((r) => r.imageId));
  let unreviewedEdits = 0;
  for (const im of images) if (withRevision.has(im.id) && im.status !== 'approved') unreviewedEdits++;
  const included = images.filter((im) => withRevision.has(im.id)).length;
  return { images: images.length, included, unreviewedEdits, noRevision: images.length - included };
}

/** Every image of the project (paged through the repository). */
export async function allImages(data: DataStore, projectId: ProjectId) {
  const out: Array<{ id: string; sha256: string; fileName: string; width: number; height: number; status: string }> = [];
  let after: { fileName: string; id: string } | undefined;
  for (;;) {
    const page = await data.images.list(projectId, {}, { limit: 1000, after });
    for (const r of page) out.push({ id: r.id, sha256: r.sha256, fileName: r.fileName, width: r.width, height: r.height, status: r.status });
    if (page.length < 1000) return out;
    after = { fileName: page[page.length - 1].fileName, id: page[page.length - 1].id };
  }
}

/** The approved state of a project: each included image with its latest approved revision, the classes, and what was left out. */
export async function readApprovedState(d: Pick<ReleaseDeps, 'data' | 'revisions'>, projectId: ProjectId) {
  const [revs, images, classes] = await Promise.all([d.revisions.latestApproved(projectId), allImages(d.data, projectId), d.data.classes.list(projectId)]);
  const byId = new Map(images.map((im) => [im.id, im]));
  const included: Array<{ rev: ApprovedRevision; im: (typeof images)[number] }> = [];
  let unreviewedEdits = 0;
  for (const rev of revs) {
    const im = byId.get(rev.imageId);
    if (!im) continue; // an image that is gone from the project
    if (im.status !== 'approved') unreviewedEdits++;
    included.push({ rev, im });
  }
  const categories = classes.map((c) => ({ id: c.id, name: c.name }));
  const report: CutReport = { included: included.length, unreviewedEdits, noRevision: images.length - included.length };
  const key = stateKey(projectId, categories, included.map(({ rev, im }) => ({ blob: im.sha256, fileName: im.fileName, width: im.width, height: im.height, revision: rev.sha256 })));
  return { projectId, included, categories, report, key };
}
export type ApprovedState = Awaited<ReturnType<typeof readApprovedState>>;

/**
 * Builds the manifest of an approved state (no writes), decoding each revision the parent does not
 * hold: a revision is named by the SHA-256 of its bytes, so the parent's shapes and tags for the
 * same revision are what decoding it would give, as is the parent's size for the same blob
 * (`reuseParent: false` decodes everything, for the test that shows both give the same id).
 */
export async function buildCut(d: ReleaseDeps, state: ApprovedState, split: SplitConfig, parent: Manifest | null, o: Pick<CutOptions, 'progress' | 'signal'> & { reuseParent?: boolean } = {}) {
  const reuse = o.reuseParent !== false && parent !== null;
  const known = new Map<string, Manifest['images'][number]>(reuse ? parent.images.map((im) => [im.revision, im]) : []);
  const sizes = new Map<string, number>(reuse ? parent.images.map((im) => [im.blob, im.bytes]) : []);
  const inputs: ManifestImageInput[] = [];
  const n = state.included.length;
  const step = Math.max(1, Math.floor(n / 50));
  for (let i = 0; i < n; i++) {
    const { rev, im } = state.included[i];
    const size = sizes.get(im.sha256) ?? (await d.data.blobs.get(im.sha256 as Sha256))?.size ?? (await d.blobs.stat(im.sha256))?.size;
    if (size == null) throw new AppError('internal', `image ${im.fileName}: its bytes (${im.sha256}) are missing from the blob store`);
    const same = known.get(rev.sha256);
    const content = same ? { shapes: same.shapes, tags: same.tags } : revisionContent(rev.update);
    inputs.push({ blob: im.sha256, bytes: size, width: im.width, height: im.height, fileName: im.fileName, split: 'train', revision: rev.sha256, ...content });
    if (i % step === 0) {
      o.signal?.throwIfAborted();
      o.progress?.(0.8 * (i / n), `read ${i.toLocaleString('en-US')} of ${n.toLocaleString('en-US')} approved revisions`);
    }
  }
  const parentSplits = new Map<string, Split>((parent?.images ?? []).map((im) => [im.blob, im.split]));
  const splits = assignSplits(inputs, split, parentSplits);
  for (const im of inputs) im.split = splits.get(im.blob)!;
  const manifest = buildManifest(state.projectId, state.categories, inputs);
  const bytes = manifestBytes(manifest);
  return { manifest, bytes, id: sha256Hex(bytes), report: state.report };
}

/**
 * The key of the approved state release `rec` was cut from: cached, else stored with the release,
 * else (a release cut before keys were stored) computed from its manifest.
 */
async function stateKeyOf(d: ReleaseDeps, rec: ReleaseRecord): Promise<string> {
  const hit = d.caches.stateKeys.get(rec.id);
  if (hit) return lru(d.caches.stateKeys, rec.id, () => hit);
  const key = (await d.releases.stateKey(rec.id)) ?? manifestStateKey(await loadManifest(d, rec.id));
  return lru(d.caches.stateKeys, rec.id, () => key);
}

/** Checks and fills a split configuration: the given one, else the parent's, else 80/10/10. */
export function splitConfigFor(given: SplitConfig | undefined, parent: ReleaseRecord | null): SplitConfig {
  const split = given ?? parent?.split ?? DEFAULT_SPLIT;
  const problem = splitConfigProblem(split);
  if (problem) throw badRequest(problem);
  return { train: split.train, val: split.val, test: split.test, salt: split.salt ?? '', ...(split.groupBy !== undefined ? { groupBy: split.groupBy } : {}) };
}

/** Blob garbage collection asks this source: manifests, the images releases list, cached exports. */
export const releaseBlobReferences = (repo: ReleaseRepo): BlobReferenceSource => ({ name: 'releases', referencedAmong: (c) => repo.referencedAmong(c) });

/** Queues a cut as the `release` stage's job (the stage calls `cutRelease`). */
export async function startCut(queue: JobQueue, projectId: ProjectId, userId: UserId, params: CutBody) {
  if (params.split) splitConfigFor(params.split, null);
  const { job } = await queue.enqueue({ stage: RELEASE_STAGE_NAME, params, projectId, createdBy: userId, maxAttempts: 2 });
  return { id: job.id, stage: job.stage, state: job.state, progress: job.progress, createdAt: job.createdAt };
}

export async function cutRelease(d: ReleaseDeps, actorId: UserId, projectId: ProjectId, o: CutOptions = {}): Promise<CutResult> {
  const notes = (o.notes ?? '').trim();
  if (notes.length > MAX_NOTES) throw badRequest(`notes: at most ${MAX_NOTES} characters`);
  const parentRec = await d.releases.latest(projectId);
  const split = splitConfigFor(o.split, parentRec);
  o.progress?.(0, 'reading approved revisions');
  const state = await readApprovedState(d, projectId);
  if (state.report.included === 0) throw badRequest(`no image of this project has an approved revision (${state.report.noRevision} without): approve images before cutting a release`);
  // Unchanged since the latest release: that release, without decoding a document (release-state.ts).
  if (parentRec && state.key === (await stateKeyOf(d, parentRec))) {
    o.progress?.(1, `unchanged: @${parentRec.number}`);
    return { release: parentRec, created: false, report: state.report };
  }
  const parent = parentRec ? await loadManifest(d, parentRec.id) : null;
  const cut = await buildCut(d, state, split, parent, o);
  const existing = await d.releases.byId(projectId, cut.id);
  if (existing) return { release: existing, created: false, report: cut.report };

  o.progress?.(0.82, 'release gate');
  await enforceGate(d, projectId, cut.id, cut.manifest);
  o.progress?.(0.85, 'storing the manifest');
  const put = await d.blobs.put(cut.bytes);
  if (put.sha256 !== cut.id) throw new AppError('internal', `the blob store hashed the manifest as ${put.sha256}, not ${cut.id}`);
  const diff = diffManifests(parent, cut.manifest);
  const counts = releaseCounts(cut.manifest);
  const result = await d.data.transaction(async (r) => {
    // Re-read inside the transaction: a concurrent cut may have taken the number or the id.
    const again = await d.releases.byId(projectId, cut.id);
    if (again) return { release: again, created: false };
    const latest = await d.releases.latest(projectId);
    if ((latest?.id ?? null) !== (parentRec?.id ?? null)) {
      throw new AppError('conflict', `another release (@${latest?.number}) was cut meanwhile; cut again to diff against it`);
    }
    const release: ReleaseRecord = {
      id: cut.id,
      projectId,
      number: (latest?.number ?? 0) + 1,
      parentId: parentRec?.id ?? null,
      createdAt: now(),
      createdBy: actorId,
      notes,
      split,
      counts,
      diff,
      generatedNotes: generatedNotes(parentRec ? diff : null, counts, parentRec?.number ?? null),
      report: cut.report,
    };
    await d.releases.insert(release, cut.manifest.images.map((im) => im.blob), state.key);
    await audit(r, { actorId, projectId, action: 'release.cut', subject: release.id, details: { number: release.number, ...cut.report } });
    return { release, created: true };
  });
  if (result.created) {
    // What the next cut (its parent) and this release's report and exports read first.
    lru(d.caches.stateKeys, result.release.id, () => state.key);
    lru(d.caches.manifests, result.release.id, () => cut.manifest);
  }
  if (result.created) d.events?.publish(projectId, { type: 'release', release: { id: result.release.id, number: result.release.number, change: 'cut' } });
  o.progress?.(1, `@${result.release.number}`);
  return { ...result, report: cut.report };
}
