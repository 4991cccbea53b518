// The EDA report of a release (shared/release/report.ts): computed once from the manifest and the
// approved revisions it names (who approved each, who created each shape per the stored
// provenance, read through the release's RevisionSource), stored as canonical JSON in a blob and recorded as the release's `report` artifact.
// A release never changes, so a stored report is its report for good.
import { canonicalJson } from '../../shared/canonical-json.ts';
import { AppError } from '../../shared/errors.ts';
import type { ImageId, ProjectId, Sha256, UserId } from '../../shared/ids.ts';
import type { JobQueue } from '../ports/job-queue.ts';
import { releaseReport, ReleaseReportSchema, type ReleaseReport, type RevisionPeople } from '../../shared/release/report.ts';
import { now } from './ids.ts';
import { loadManifest } from './release-manifests.ts';
import { resolveRelease } from './release-read.ts';
import { allImages, type ReleaseDeps } from './releases.ts';

export const REPORT_ARTIFACT = 'report' as const;
/** The built-in stage that computes it (server/jobs/stages/release-report.ts). */
export const RELEASE_REPORT_STAGE = 'release-report';

async function readJson(d: Pick<ReleaseDeps, 'blobs'>, sha: string): Promise<unknown> {
  const stream = await d.blobs.get(sha);
  if (!stream) return null;
  const chunks: Uint8Array[] = [];
  for await (const c of stream as unknown as AsyncIterable<Uint8Array>) chunks.push(c);
  return JSON.parse(Buffer.concat(chunks).toString('utf8'));
}

/** The stored report of a release, or null when none was computed yet. */
export async function storedReport(d: Pick<ReleaseDeps, 'releases' | 'blobs'>, releaseId: Sha256): Promise<ReleaseReport | null> {
  const rec = await d.releases.export(releaseId, REPORT_ARTIFACT);
  if (!rec) return null;
  const parsed = ReleaseReportSchema.safeParse(await readJson(d, rec.blob));
  if (!parsed.success) throw new AppError('internal', `the stored report of release ${releaseId} does not read as one: ${parsed.error.issues[0]?.message}`);
  return parsed.data;
}

/** `GET …/releases/:ref/report`. */
export async function reportOf(d: Pick<ReleaseDeps, 'releases' | 'blobs'>, projectId: ProjectId, ref: string): Promise<ReleaseReport> {
  const r = await resolveRelease(d, projectId, ref);
  const report = await storedReport(d, r.id);
  if (!report) throw new AppError('not_found', `release @${r.number} has no EDA report yet: run the release-report stage on it`);
  return report;
}

/** Computes and stores the report of a release (the stored one when there is one). */
export async function computeReport(d: ReleaseDeps, projectId: ProjectId, ref: string, o: { signal?: AbortSignal } = {}): Promise<{ report: ReleaseReport; created: boolean; number: number }> {
  const r = await resolveRelease(d, projectId, ref);
  const existing = await storedReport(d, r.id);
  if (existing) return { report: existing, created: false, number: r.number };
  const [manifest, images, members] = await Promise.all([loadManifest(d, r.id), allImages(d.data, projectId), d.data.members.list(projectId)]);
  const imageOf = new Map(images.map((im) => [im.sha256, im.id]));
  const people = new Map<string, RevisionPeople>();
  for (const im of manifest.images) {
    o.signal?.throwIfAborted();
    const imageId = imageOf.get(im.blob);
    const rev = imageId ? await d.revisions.revision(imageId as ImageId, im.revision as Sha256) : null;
    if (!rev) continue; // an image gone from the project since: its shapes stay unattributed
    const createdBy = rev.provenance ? Object.fromEntries(Object.entries(rev.provenance).map(([id, o]) => [id, o.createdBy])) : undefined;
    people.set(im.revision, { approvedBy: rev.approvedBy, ...(createdBy ? { createdBy } : {}) });
  }
  const report = releaseReport(r.id, manifest, people, members.map((m) => ({ userId: m.userId, username: m.username })));
  const put = await d.blobs.put(new TextEncoder().encode(canonicalJson(report)));
  await d.releases.putExport({ releaseId: r.id, format: REPORT_ARTIFACT, blob: put.sha256, bytes: put.size, createdAt: now() });
  return { report, created: true, number: r.number };
}

/** Queues the `release-report` stage on one release (`POST …/releases/:ref/report`). */
export async function startReport(d: Pick<ReleaseDeps, 'releases'>, queue: JobQueue, projectId: ProjectId, userId: UserId, ref: string) {
  const r = await resolveRelease(d, projectId, ref);
  const { job } = await queue.enqueue({ stage: RELEASE_REPORT_STAGE, params: { release: r.id }, projectId, createdBy: userId, maxAttempts: 2 });
  return { id: job.id, stage: job.stage, state: job.state, progress: job.progress, createdAt: job.createdAt };
}
