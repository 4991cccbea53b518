// Model runs (DESIGN.md "Model runs (REST)"): recording a model measured against a release (the
// request names it by number, alias or id; the run keeps the release id), listing, one run, and
// notes added later. Every record and note is audited (`run.record`, `run.note`) in the same
// transaction. Runs hold their release's blobs against garbage collection (runBlobReferences).
import { AppError, badRequest, notFound } from '../../shared/errors.ts';
import type { ProjectId, UserId } from '../../shared/ids.ts';
import type { RunBody, RunView } from '../../shared/api/runs.ts';
import type { BlobReferenceSource } from '../ports/blob-references.ts';
import type { ReleaseRecord } from '../ports/releases.ts';
import type { RunCursor, RunNoteRecord, RunRecord, RunRepo } from '../ports/runs.ts';
import { audit } from './audit.ts';
import { newId, now } from './ids.ts';
import { resolveRelease } from './release-read.ts';
import type { ReleaseDeps } from './releases.ts';

export interface RunDeps extends Pick<ReleaseDeps, 'data' | 'releases' | 'events'> {
  runs: RunRepo;
}

/** The release a run names, or a 400 naming the `release` field (unknown ref, another project's id). */
async function releaseOfRun(d: RunDeps, projectId: ProjectId, ref: RunBody['release']): Promise<ReleaseRecord> {
  try {
    return await resolveRelease(d, projectId, String(ref));
  } catch (e) {
    if (e instanceof AppError && (e.code === 'not_found' || e.code === 'bad_request')) throw badRequest(`body field "release": ${e.message}`);
    throw e;
  }
}

function viewOf(r: RunRecord, releaseNumber: number, notes: RunNoteRecord[]): RunView {
  return {
    id: r.id,
    projectId: r.projectId,
    model: r.model,
    version: r.version,
    releaseId: r.releaseId,
    releaseNumber,
    metrics: r.metrics,
    params: r.params,
    code: r.code,
    split: r.split,
    createdBy: r.createdBy,
    createdAt: r.createdAt,
    notes: notes.map((n) => ({ text: n.text, by: n.by, at: n.at })),
  };
}

/** Views of runs with their release numbers and notes. */
async function viewsOf(d: RunDeps, projectId: ProjectId, runs: RunRecord[]): Promise<RunView[]> {
  const numbers = new Map<string, number>();
  for (const id of new Set(runs.map((r) => r.releaseId))) {
    const rel = await d.releases.byId(projectId, id);
    if (!rel) throw new AppError('internal', `run names release ${id.slice(0, 12)}, which is missing`);
    numbers.set(id, rel.number);
  }
  const notes = await d.runs.notes(runs.map((r) => r.id));
  return runs.map((r) => viewOf(r, numbers.get(r.releaseId)!, notes.get(r.id) ?? []));
}

export async function recordRun(d: RunDeps, actorId: UserId, projectId: ProjectId, body: RunBody): Promise<RunView> {
  const release = await releaseOfRun(d, projectId, body.release);
  const at = now();
  const run: RunRecord = {
    id: newId(),
    projectId,
    releaseId: release.id,
    model: body.model,
    version: body.version,
    metrics: body.metrics,
    params: body.params ?? {},
    code: body.code ?? null,
    split: body.split ?? null,
    createdBy: actorId,
    createdAt: at,
  };
  const text = body.notes?.trim();
  const note: RunNoteRecord | undefined = text ? { runId: run.id, text, by: actorId, at } : undefined;
  await d.data.transaction(async (repos) => {
    await d.runs.insert(run, note);
    await audit(repos, {
      actorId,
      projectId,
      action: 'run.record',
      subject: run.id,
      details: { model: run.model, version: run.version, release: release.number, releaseId: release.id, split: run.split, metrics: Object.keys(run.metrics).sort() },
    });
  });
  d.events?.publish(projectId, { type: 'modelRun', run: { id: run.id, releaseId: run.releaseId, change: 'recorded' } });
  return viewOf(run, release.number, note ? [note] : []);
}

export async function getRun(d: RunDeps, projectId: ProjectId, runId: string): Promise<RunView> {
  const r = await d.runs.byId(projectId, runId);
  if (!r) throw notFound(`run ${runId.slice(0, 40)}`);
  return (await viewsOf(d, projectId, [r]))[0];
}

const CURSOR_RE = /^(\d{1,16})\.([A-Za-z0-9_-]{1,64})$/;

/** Newest first; `release` (number, alias or id) keeps the runs on that release. */
export async function listRuns(d: RunDeps, projectId: ProjectId, q: { limit: number; cursor?: string; release?: string }) {
  let after: RunCursor | undefined;
  if (q.cursor !== undefined) {
    const m = CURSOR_RE.exec(q.cursor);
    if (!m) throw badRequest('query field "cursor": expected the `next` of the previous page');
    after = { createdAt: Number(m[1]), id: m[2] };
  }
  const releaseId = q.release === undefined ? undefined : (await resolveRelease(d, projectId, q.release)).id;
  const rows = await d.runs.list(projectId, { limit: q.limit + 1, after, releaseId });
  const page = rows.slice(0, q.limit);
  const last = page[page.length - 1];
  return { items: await viewsOf(d, projectId, page), next: rows.length > q.limit ? `${last.createdAt}.${last.id}` : null };
}

/** Every run of a project, oldest first (the lineage graph). */
export async function allRuns(d: Pick<RunDeps, 'runs'>, projectId: ProjectId): Promise<RunRecord[]> {
  const out: RunRecord[] = [];
  let after: RunCursor | undefined;
  for (;;) {
    const page = await d.runs.list(projectId, { limit: 500, after });
    out.push(...page);
    if (page.length < 500) return out.reverse();
    after = { createdAt: page[page.length - 1].createdAt, id: page[page.length - 1].id };
  }
}

export async function addRunNote(d: RunDeps, actorId: UserId, projectId: ProjectId, runId: string, text: string): Promise<RunView> {
  const r = await d.runs.byId(projectId, runId);
  if (!r) throw notFound(`run ${runId.slice(0, 40)}`);
  const t = text.trim();
  if (!t) throw badRequest('body field "text": say something');
  await d.data.transaction(async (repos) => {
    await d.runs.addNote({ runId, text: t, by: actorId, at: now() });
    await audit(repos, { actorId, projectId, action: 'run.note', subject: runId, details: { text: t.slice(0, 500) } });
  });
  d.events?.publish(projectId, { type: 'modelRun', run: { id: runId, releaseId: r.releaseId, change: 'note' } });
  return getRun(d, projectId, runId);
}

/** Blob garbage collection asks this source: what a run's release holds (manifest, images, cached exports). */
export const runBlobReferences = (repo: Pick<RunRepo, 'heldByRuns'>): BlobReferenceSource => ({ name: 'model runs', referencedAmong: (c) => repo.heldByRuns(c) });
