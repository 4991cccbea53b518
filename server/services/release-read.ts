// Reading releases and the few things that change around them (DESIGN.md "Releases (REST)"):
// refs (number, alias, id), list and detail views, aliases (`latest` moves by itself), QA
// verdicts (audited), and the blobs a release may hand out.
import { AppError, badRequest, notFound } from '../../shared/errors.ts';
import { isSha256, type ProjectId, type Sha256, type UserId } from '../../shared/ids.ts';
import type { AliasRecord, QaRecord, QaStatus, ReleaseRecord } from '../ports/releases.ts';
import type { ReleaseDetail, ReleaseSummary } from '../../shared/api/releases.ts';
import { audit } from './audit.ts';
import { now } from './ids.ts';
import { loadManifest, lru, type ReleaseCaches } from './release-manifests.ts';
import type { ReleaseDeps } from './releases.ts';

export const LATEST = 'latest';
/** Alias names: lower case, digits, `-`, `_`, `.`; not a number (that would read as a release number). */
export const ALIAS_RE = /^(?!\d+$)[a-z0-9][a-z0-9._-]{0,63}$/;

/** An id prefix: at least 8 hex digits. */
const ID_PREFIX_RE = /^[0-9a-f]{8,63}$/;

/**
 * `ref` = number, alias, or id (the full SHA-256, or a prefix of at least 8 hex digits). A prefix
 * may be all digits (about 1 in 100 ids start with 10 of them): 8–9 digits name a release number
 * first and a prefix only when there is no such number; 10 or more digits are a prefix.
 */
export async function resolveRelease(d: Pick<ReleaseDeps, 'releases'>, projectId: ProjectId, ref: string): Promise<ReleaseRecord> {
  const isAlias = ALIAS_RE.test(ref);
  const isPrefix = ID_PREFIX_RE.test(ref);
  let rec: ReleaseRecord | null = null;
  if (/^\d{1,9}$/.test(ref)) rec = await d.releases.byNumber(projectId, Number(ref));
  else if (ref === LATEST) rec = await d.releases.latest(projectId);
  else if (isSha256(ref)) rec = await d.releases.byId(projectId, ref);
  else if (!isAlias && !isPrefix) throw badRequest(`release ref "${ref.slice(0, 80)}": expected a number, an alias or a release id`);
  else if (isAlias) {
    const a = await d.releases.alias(projectId, ref);
    if (a) rec = await d.releases.byId(projectId, a.releaseId);
  }
  if (!rec && isPrefix) rec = await byIdPrefix(d, projectId, ref);
  if (!rec) throw new AppError('not_found', `no release ${ref.slice(0, 80)} in this project`);
  return rec;
}

async function byIdPrefix(d: Pick<ReleaseDeps, 'releases'>, projectId: ProjectId, prefix: string): Promise<ReleaseRecord | null> {
  const found: ReleaseRecord[] = [];
  let before: number | undefined;
  for (;;) {
    const page = await d.releases.list(projectId, { limit: 500, before });
    for (const r of page) if (r.id.startsWith(prefix)) found.push(r);
    if (page.length < 500) break;
    before = page[page.length - 1].number;
  }
  if (found.length > 1) throw badRequest(`release id prefix ${prefix} matches ${found.length} releases; give more digits`);
  return found[0] ?? null;
}

export type { ReleaseSummary };

function summaryOf(r: ReleaseRecord, qa: QaRecord | undefined, aliases: AliasRecord[], latestNumber: number | null, parentNumber: number | null): ReleaseSummary {
  const names = aliases.filter((a) => a.releaseId === r.id).map((a) => a.name);
  if (r.number === latestNumber) names.unshift(LATEST);
  return {
    number: r.number,
    id: r.id,
    parent: r.parentId,
    parentNumber,
    createdAt: r.createdAt,
    createdBy: r.createdBy,
    counts: r.counts,
    report: r.report,
    qa: qa ? { status: qa.status, notes: qa.notes, by: qa.actorId, at: qa.at } : null,
    aliases: names,
  };
}

export async function listReleases(d: Pick<ReleaseDeps, 'releases'>, projectId: ProjectId, limit: number, cursor?: string): Promise<{ items: ReleaseSummary[]; next: string | null }> {
  const before = cursor === undefined ? undefined : Number(cursor);
  if (before !== undefined && !Number.isInteger(before)) throw badRequest('cursor: expected the `next` of the previous page');
  const rows = await d.releases.list(projectId, { limit: limit + 1, before });
  const page = rows.slice(0, limit);
  const [qa, aliases, latest] = await Promise.all([d.releases.latestQa(page.map((r) => r.id)), d.releases.aliases(projectId), d.releases.latest(projectId)]);
  const numberOf = new Map(rows.map((r) => [r.id, r.number]));
  const items = page.map((r) => summaryOf(r, qa.get(r.id), aliases, latest?.number ?? null, r.parentId ? (numberOf.get(r.parentId) ?? r.number - 1) : null));
  return { items, next: rows.length > limit ? String(page[page.length - 1].number) : null };
}

export async function releaseDetail(d: Pick<ReleaseDeps, 'releases'>, projectId: ProjectId, ref: string): Promise<ReleaseDetail> {
  const r = await resolveRelease(d, projectId, ref);
  const [qa, aliases, latest, parent] = await Promise.all([
    d.releases.qaHistory(r.id),
    d.releases.aliases(projectId),
    d.releases.latest(projectId),
    r.parentId ? d.releases.byId(projectId, r.parentId) : Promise.resolve(null),
  ]);
  return {
    ...summaryOf(r, qa[0], aliases, latest?.number ?? null, parent?.number ?? null),
    notes: r.notes,
    generatedNotes: r.generatedNotes,
    split: r.split,
    diff: r.diff,
    qaHistory: qa.map((q) => ({ status: q.status, notes: q.notes, by: q.actorId, at: q.at })),
  };
}

export async function setAlias(d: Pick<ReleaseDeps, 'releases' | 'data' | 'events'>, actorId: UserId, projectId: ProjectId, name: string, number: number) {
  if (name === LATEST) throw badRequest('the alias "latest" moves by itself to the newest release');
  if (!ALIAS_RE.test(name)) throw badRequest(`alias "${name.slice(0, 80)}": use 1–64 lower-case letters, digits, ".", "-" and "_", not only digits`);
  const r = await d.releases.byNumber(projectId, number);
  if (!r) throw notFound(`release @${number}`);
  await d.data.transaction(async (repos) => {
    const before = await d.releases.alias(projectId, name);
    await d.releases.setAlias({ projectId, name, releaseId: r.id, updatedAt: now(), updatedBy: actorId });
    await audit(repos, { actorId, projectId, action: 'release.alias', subject: name, details: { release: r.number, from: before?.releaseId ?? null, to: r.id } });
  });
  d.events?.publish(projectId, { type: 'release', release: { id: r.id, number: r.number, change: 'alias', alias: name } });
  return { name, release: r.number, id: r.id };
}

export const MAX_QA_NOTES = 10_000;

export async function recordQa(d: Pick<ReleaseDeps, 'releases' | 'data' | 'events'>, actorId: UserId, projectId: ProjectId, ref: string, status: QaStatus, notes: string) {
  const r = await resolveRelease(d, projectId, ref);
  const text = notes.trim();
  if (text.length > MAX_QA_NOTES) throw badRequest(`notes: at most ${MAX_QA_NOTES} characters`);
  if (status === 'failed' && text === '') throw badRequest('notes: say what failed');
  const entry: QaRecord = { releaseId: r.id, status, notes: text, actorId, at: now() };
  await d.data.transaction(async (repos) => {
    await d.releases.addQa(entry);
    await audit(repos, { actorId, projectId, action: `release.qa.${status}`, subject: r.id, details: { number: r.number, notes: text } });
  });
  d.events?.publish(projectId, { type: 'release', release: { id: r.id, number: r.number, change: 'qa', qa: status } });
  return { number: r.number, id: r.id, qa: { status, notes: text, by: actorId, at: entry.at } };
}

/** A blob the release lists (an image), with its size; anything else is not this release's to give. */
export async function releaseBlob(d: Pick<ReleaseDeps, 'releases' | 'blobs' | 'caches'>, projectId: ProjectId, ref: string, sha256: string): Promise<{ sha256: Sha256; size: number }> {
  if (!isSha256(sha256)) throw badRequest('a blob id is 64 lower-case hex digits');
  const r = await resolveRelease(d, projectId, ref);
  const m = await loadManifest(d, r.id);
  const im = blobIndex(d, r.id, m.images).get(sha256);
  if (!im) throw notFound(`blob ${sha256.slice(0, 12)} in release @${r.number}`);
  const stat = await d.blobs.stat(sha256);
  if (!stat) throw new AppError('not_found', `the bytes of ${im} (blob ${sha256.slice(0, 12)}) are gone from the blob store`);
  return { sha256: sha256 as Sha256, size: stat.size };
}

/** The release's blobs by SHA-256 → file name (kept in the deps' caches beside the manifest). */
function blobIndex(d: { caches?: ReleaseCaches }, id: string, images: ReadonlyArray<{ blob: string; fileName: string }>): Map<string, string> {
  const make = () => new Map(images.map((im) => [im.blob, im.fileName]));
  return d.caches ? lru(d.caches.blobIndexes, id, make) : make();
}
