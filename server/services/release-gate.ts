// The release gate (issue 13 item 4): a project setting (managers) that makes every cut run the
// validate checks over the manifest it would store (shared/release/gate.ts); a cut with problems
// is refused (`validation`, nothing stored but the report) and the report is kept as a blob,
// linked from the refusal and served by GET /api/projects/:id/release-gate/report.
import { canonicalJson } from '../../shared/canonical-json.ts';
import { AppError, badRequest } from '../../shared/errors.ts';
import type { ProjectId, UserId } from '../../shared/ids.ts';
import { checkManifest, gateProblem, problemTotal, type GateReport } from '../../shared/release/gate.ts';
import type { Manifest } from '../../shared/release/manifest.ts';
import { audit } from './audit.ts';
import { now } from './ids.ts';
import type { ReleaseDeps } from './releases.ts';

export const gateReportPath = (projectId: string) => `/api/projects/${encodeURIComponent(projectId)}/release-gate/report`;

export async function gateOf(d: Pick<ReleaseDeps, 'releases'>, projectId: ProjectId) {
  const g = await d.releases.gate(projectId);
  return {
    validate: g?.validate ?? null,
    updatedAt: g?.updatedAt ?? null,
    updatedBy: g?.updatedBy ?? null,
    lastRefusal: g?.lastReport ? { report: gateReportPath(projectId), at: g.lastReportAt } : null,
  };
}

/** `PUT …/release-gate {validate: {iou} | null}` (managers; audited). */
export async function setGate(d: Pick<ReleaseDeps, 'releases' | 'data'>, actorId: UserId, projectId: ProjectId, validate: { iou: number } | null) {
  if (validate !== null) {
    const problem = gateProblem(validate);
    if (problem) throw badRequest(problem);
  }
  await d.data.transaction(async (r) => {
    await d.releases.setGate({ projectId, validate: validate ? { iou: validate.iou } : null, updatedAt: now(), updatedBy: actorId });
    await audit(r, { actorId, projectId, action: 'release.gate', subject: projectId, details: { validate } });
  });
  return gateOf(d, projectId);
}

/** Checks a cut's manifest against the project's gate; refuses it (and keeps the report) when it finds problems. */
export async function enforceGate(d: Pick<ReleaseDeps, 'releases' | 'blobs'>, projectId: ProjectId, manifestId: string, manifest: Manifest): Promise<GateReport | null> {
  const gate = await d.releases.gate(projectId);
  if (!gate?.validate) return null;
  const report = checkManifest(manifestId, manifest, gate.validate);
  const total = problemTotal(report);
  if (total === 0) return report;
  const put = await d.blobs.put(new TextEncoder().encode(canonicalJson(report)));
  await d.releases.gateRefused(projectId, put.sha256, now());
  const kinds = Object.entries(report.counts).filter(([, n]) => n > 0).map(([k, n]) => `${n} ${k.replace(/_/g, ' ')}`);
  const first = report.problems[0];
  throw new AppError('validation', `the release gate refused this cut: validation found ${total} problem(s) (${kinds.join(', ')}); first: ${first.fileName}: ${first.detail}. Report: ${gateReportPath(projectId)}`, {
    report: gateReportPath(projectId),
    counts: report.counts,
  });
}

/** `GET …/release-gate/report`: the last refused cut's report. */
export async function lastGateReport(d: Pick<ReleaseDeps, 'releases' | 'blobs'>, projectId: ProjectId): Promise<Uint8Array> {
  const g = await d.releases.gate(projectId);
  if (!g?.lastReport) throw new AppError('not_found', 'the release gate has refused no cut of this project');
  const stream = await d.blobs.get(g.lastReport);
  if (!stream) throw new AppError('internal', 'the release gate report went missing from the blob store');
  const chunks: Uint8Array[] = [];
  for await (const c of stream as unknown as AsyncIterable<Uint8Array>) chunks.push(c);
  return Buffer.concat(chunks);
}
