// Releases (DESIGN.md "Releases (REST)"): cut (as a job), list, detail with diff and notes, the
// canonical manifest (ETag = release id), the blobs a release lists (Range, for `tessera pull`),
// aliases, QA verdicts, export zips, EDA reports and the release gate. Thin: validate, check the
// role, call a service.
import { Hono } from 'hono';
import { z } from 'zod';
import { AppError } from '../../shared/errors.ts';
import { AliasBody, CutBody, GateBody, QaBody } from '../../shared/api/releases.ts';
import { EXPORT_FORMATS, isExportFormat } from '../../shared/release/index.ts';
import { principalOf, requireProject, type AppDeps, type AppEnv } from '../http/context.ts';
import { matchesEtag, parseRange } from '../http/range.ts';
import { jsonBody, NoQuery, pageQuery, queryOf } from '../http/validate.ts';
import { getProject } from '../services/projects.ts';
import { releaseExport } from '../services/release-exports.ts';
import { manifestBytesOf } from '../services/release-manifests.ts';
import { listReleases, recordQa, releaseBlob, releaseDetail, resolveRelease, setAlias } from '../services/release-read.ts';
import { cutPreview, startCut } from '../services/releases.ts';
import { reportOf, startReport } from '../services/release-report.ts';
import { gateOf, lastGateReport, setGate } from '../services/release-gate.ts';

const Page = z.strictObject(pageQuery);

export function releaseRoutes(deps: AppDeps) {
  const r = deps.releases;
  const app = new Hono<AppEnv>();
  const base = '/projects/:projectId';

  app.post(`${base}/releases`, requireProject(deps, 'releases.create'), async (c) => {
    const body = await jsonBody(c, CutBody);
    const job = await startCut(deps.jobs.queue, c.get('projectId'), principalOf(c).user.id, body);
    deps.jobs.runner.wake();
    return c.json({ job }, 202);
  });
  app.get(`${base}/release-preview`, requireProject(deps, 'releases.create'), async (c) => {
    queryOf(c, NoQuery);
    return c.json(await cutPreview(r, c.get('projectId')));
  });
  app.get(`${base}/releases`, requireProject(deps, 'releases.read'), async (c) => {
    const q = queryOf(c, Page);
    return c.json(await listReleases(r, c.get('projectId'), q.limit, q.cursor));
  });
  app.get(`${base}/releases/:ref`, requireProject(deps, 'releases.read'), async (c) => {
    queryOf(c, NoQuery);
    return c.json(await releaseDetail(r, c.get('projectId'), c.req.param('ref')));
  });
  app.get(`${base}/releases/:ref/manifest`, requireProject(deps, 'releases.read'), async (c) => {
    queryOf(c, NoQuery);
    const rel = await resolveRelease(r, c.get('projectId'), c.req.param('ref'));
    const headers = { ETag: `"${rel.id}"`, 'Cache-Control': 'private, max-age=31536000, immutable', 'Content-Type': 'application/json' };
    if (matchesEtag(c.req.header('if-none-match'), headers.ETag)) return c.body(null, 304, headers);
    const bytes = await manifestBytesOf(r, rel.id);
    return c.body(bytes as Uint8Array<ArrayBuffer>, 200, { ...headers, 'Content-Length': String(bytes.byteLength) });
  });
  app.get(`${base}/releases/:ref/blobs/:sha256`, requireProject(deps, 'releases.read'), async (c) => {
    queryOf(c, NoQuery);
    const blob = await releaseBlob(r, c.get('projectId'), c.req.param('ref'), c.req.param('sha256'));
    const headers: Record<string, string> = { ETag: `"${blob.sha256}"`, 'Accept-Ranges': 'bytes', 'Cache-Control': 'private, no-cache', 'Content-Type': 'application/octet-stream' };
    if (matchesEtag(c.req.header('if-none-match'), headers.ETag)) return c.body(null, 304, headers);
    const range = parseRange(c.req.header('range'), blob.size);
    if (range === 'invalid') return c.body(null, 416, { ...headers, 'Content-Range': `bytes */${blob.size}` });
    const stream = await r.blobs.get(blob.sha256, range ?? undefined);
    if (!stream) throw new AppError('not_found', 'blob bytes not found');
    if (range) return c.body(stream, 206, { ...headers, 'Content-Range': `bytes ${range.start}-${range.end}/${blob.size}`, 'Content-Length': String(range.end - range.start + 1) });
    return c.body(stream, 200, { ...headers, 'Content-Length': String(blob.size) });
  });
  app.get(`${base}/releases/:ref/export/:format`, requireProject(deps, 'releases.read'), async (c) => {
    queryOf(c, NoQuery);
    const format = c.req.param('format');
    if (!isExportFormat(format)) throw new AppError('bad_request', `format "${format.slice(0, 40)}": one of ${Object.values(EXPORT_FORMATS).join(', ')}`);
    const project = (await getProject(deps.services, c.get('projectId')))!;
    const zip = await releaseExport(r, c.get('projectId'), project.name, c.req.param('ref'), format);
    const stream = await r.blobs.get(zip.blob);
    if (!stream) throw new AppError('internal', 'the export zip went missing');
    return c.body(stream, 200, {
      'Content-Type': 'application/zip',
      'Content-Length': String(zip.bytes),
      'Content-Disposition': `attachment; filename="${zip.fileName}"`,
      ETag: `"${zip.blob}"`,
      'Cache-Control': 'private, no-cache',
    });
  });
  app.get(`${base}/releases/:ref/report`, requireProject(deps, 'releases.read'), async (c) => {
    queryOf(c, NoQuery);
    return c.json(await reportOf(r, c.get('projectId'), c.req.param('ref')));
  });
  app.post(`${base}/releases/:ref/report`, requireProject(deps, 'releases.create'), async (c) => {
    queryOf(c, NoQuery);
    const job = await startReport(r, deps.jobs.queue, c.get('projectId'), principalOf(c).user.id, c.req.param('ref'));
    deps.jobs.runner.wake();
    return c.json({ job }, 202);
  });
  app.get(`${base}/release-gate`, requireProject(deps, 'releases.read'), async (c) => {
    queryOf(c, NoQuery);
    return c.json(await gateOf(r, c.get('projectId')));
  });
  app.put(`${base}/release-gate`, requireProject(deps, 'project.update'), async (c) => {
    const body = await jsonBody(c, GateBody);
    return c.json(await setGate(r, principalOf(c).user.id, c.get('projectId'), body.validate));
  });
  app.get(`${base}/release-gate/report`, requireProject(deps, 'releases.read'), async (c) => {
    queryOf(c, NoQuery);
    const bytes = await lastGateReport(r, c.get('projectId'));
    return c.body(bytes as Uint8Array<ArrayBuffer>, 200, { 'Content-Type': 'application/json', 'Cache-Control': 'private, no-cache' });
  });
  app.put(`${base}/aliases/:name`, requireProject(deps, 'releases.create'), async (c) => {
    const body = await jsonBody(c, AliasBody);
    return c.json(await setAlias(r, principalOf(c).user.id, c.get('projectId'), c.req.param('name'), body.release));
  });
  app.post(`${base}/releases/:ref/qa`, requireProject(deps, 'releases.validate'), async (c) => {
    const body = await jsonBody(c, QaBody);
    return c.json(await recordQa(r, principalOf(c).user.id, c.get('projectId'), c.req.param('ref'), body.status, body.notes));
  });
  return app;
}
