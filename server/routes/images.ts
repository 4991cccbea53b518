// Images of a project: multipart upload, listing with filters, one image, assignment; and blobs.
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { z } from 'zod';
import { AppError, forbidden, notFound } from '../../shared/errors.ts';
import { can, canSeeImage } from '../../shared/policy.ts';
import { IMAGE_STATUSES } from '../../shared/roles.ts';
import { SHA256_RE } from '../../shared/ids.ts';
import { principalOf, requireProject, requireUser, type AppDeps, type AppEnv } from '../http/context.ts';
import { jsonBody, NoQuery, pageQuery, queryOf } from '../http/validate.ts';
import { assignImages, canReadBlob, getImage, listImages, uploadImages } from '../services/images.ts';
import { importIntoProject, IMPORT_FORMATS } from '../services/imports.ts';
import { multipartFiles } from '../http/multipart.ts';
import { withImportWorker } from '../imports/offload.ts';
import { parseWith } from '../http/validate.ts';
import { getBlobMime } from '../services/blobs.ts';

const ListQuery = z.strictObject({
  ...pageQuery,
  status: z.enum(IMAGE_STATUSES).optional(),
  /** A user id, or `none` for unassigned images. */
  assignee: z.string().min(1).max(64).optional(),
});
const ImportFields = z.strictObject({ format: z.enum(IMPORT_FORMATS), annotator: z.string().min(1).max(200).optional() });
const Assign = z.strictObject({ imageIds: z.array(z.string().min(1).max(64)).min(1).max(10_000), assignee: z.string().min(1).max(64).nullable() });

export function imageRoutes(deps: AppDeps) {
  const { db } = deps;
  const app = new Hono<AppEnv>();
  const uploadLimit = bodyLimit({
    maxSize: deps.config.maxUploadBytes,
    onError: () => {
      throw new AppError('payload_too_large', `the upload is larger than ${deps.config.maxUploadBytes} bytes`);
    },
  });

  app.get('/projects/:projectId/images', requireProject(deps, 'project.read'), (c) => {
    const q = queryOf(c, ListQuery);
    const userId = principalOf(c).user.id;
    const onlyAssignedTo = can(c.get('role'), 'images.readAll') ? undefined : userId;
    const assignee = q.assignee === undefined ? undefined : q.assignee === 'none' ? null : q.assignee;
    return c.json(listImages(db, c.get('projectId'), { status: q.status, assignee, onlyAssignedTo }, q.limit, q.cursor));
  });

  app.post(
    '/projects/:projectId/images',
    requireProject(deps, 'images.upload'),
    uploadLimit,
    async (c) => {
      const { files } = await multipartFiles(c);
      const r = await uploadImages(db, deps.blobs, principalOf(c).user.id, c.get('projectId'), files, deps.config.maxImageBytes);
      return c.json({ items: r.items }, r.items.some((i) => i.created) ? 201 : 200);
    },
  );

  app.post(
    '/projects/:projectId/imports',
    requireProject(deps, 'annotations.import'),
    uploadLimit,
    async (c) => {
      const limits = { maxEntryBytes: deps.config.maxImageBytes, maxTotalBytes: deps.config.maxUploadBytes, maxEntries: deps.config.maxZipEntries };
      // Unzipping and parsing run in a worker thread: the server keeps answering meanwhile.
      const report = await withImportWorker(async (worker) => {
        const { files, fields } = await multipartFiles(c, { unzip: (archives) => worker.unzip(archives, limits) });
        const opts = parseWith(ImportFields, fields, 'form');
        return importIntoProject(
          { db, blobs: deps.blobs, docs: deps.docs, maxImageBytes: deps.config.maxImageBytes, parse: (format, files, options) => worker.parse(format, files, options) },
          principalOf(c).user.id,
          c.get('projectId'),
          { format: opts.format, annotator: opts.annotator, files },
        );
      });
      return c.json(report);
    },
  );

  app.post('/projects/:projectId/images/assign', requireProject(deps, 'images.assign'), async (c) => {
    const body = await jsonBody(c, Assign);
    const items = assignImages(db, principalOf(c).user.id, c.get('projectId'), body.imageIds, body.assignee);
    deps.accessChanged();
    return c.json({ items });
  });

  app.get('/projects/:projectId/images/:imageId', requireProject(deps, 'project.read'), (c) => {
    queryOf(c, NoQuery);
    const image = getImage(db, c.get('projectId'), c.req.param('imageId'));
    if (!canSeeImage(c.get('role'), principalOf(c).user.id, { assigneeId: image.assignee })) throw forbidden('this image is not assigned to you');
    return c.json(image);
  });

  app.get('/blobs/:sha256', requireUser, async (c) => {
    queryOf(c, NoQuery);
    const sha = c.req.param('sha256');
    if (!SHA256_RE.test(sha)) throw new AppError('bad_request', 'a blob id is 64 lower-case hex digits');
    const mime = getBlobMime(db, sha);
    if (!mime) throw notFound('blob');
    if (!canReadBlob(db, principalOf(c).user.id, sha)) throw forbidden('none of your projects has this blob');
    const size = (await deps.blobs.stat(sha))?.size;
    if (size == null) throw notFound('blob bytes');
    const etag = `"${sha}"`;
    const headers: Record<string, string> = {
      ETag: etag,
      'Cache-Control': 'private, max-age=31536000, immutable',
      'Accept-Ranges': 'bytes',
      'Content-Type': mime,
    };
    if (matchesEtag(c.req.header('if-none-match'), etag)) return c.body(null, 304, headers);
    const range = parseRange(c.req.header('range'), size);
    if (range === 'invalid') {
      return c.body(null, 416, { ...headers, 'Content-Range': `bytes */${size}` });
    }
    const stream = async (r?: { start: number; end: number }) => {
      const s = await deps.blobs.get(sha, r);
      if (!s) throw notFound('blob bytes');
      return s;
    };
    if (range) {
      return c.body(await stream(range), 206, { ...headers, 'Content-Range': `bytes ${range.start}-${range.end}/${size}`, 'Content-Length': String(range.end - range.start + 1) });
    }
    return c.body(await stream(), 200, { ...headers, 'Content-Length': String(size) });
  });

  return app;
}

/** If-None-Match: a list of tags, weak or strong, or `*` (weak comparison, RFC 9110 13.1.2). */
export function matchesEtag(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  return header.split(',').some((t) => {
    const tag = t.trim();
    return tag === '*' || tag.replace(/^W\//, '') === etag;
  });
}

/** One `bytes=a-b`, `bytes=a-` or `bytes=-n` range; several ranges are served whole (allowed by RFC 9110). */
export function parseRange(header: string | undefined, size: number): { start: number; end: number } | 'invalid' | null {
  if (!header) return null;
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m) return null;
  let start: number;
  let end: number;
  if (m[1] === '' && m[2] === '') return null;
  if (m[1] === '') {
    const n = Number(m[2]);
    if (n === 0) return 'invalid';
    start = Math.max(0, size - n);
    end = size - 1;
  } else {
    start = Number(m[1]);
    end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
  }
  if (start >= size || start > end) return 'invalid';
  return { start, end };
}
