// Image uploads: content-addressed, deduplicated per project. Every file is probed first (one bad
// file rejects the whole upload); bytes and thumbnails go to the blob store; the rows are written
// in one transaction, so nothing is recorded for a rejected upload.
import { AppError, badRequest } from '../../shared/errors.ts';
import type { ImageId, ProjectId, Sha256, UserId } from '../../shared/ids.ts';
import type { ImageRecord } from '../ports/images.ts';
import { probeImage, thumbnail } from '../images/probe.ts';
import { audit } from './audit.ts';
import type { ServiceDeps } from './deps.ts';
import { imageView } from './images.ts';
import type { UploadResult } from '../../shared/api/images.ts';
import { newId, now } from './ids.ts';

export interface UploadFile {
  name: string;
  bytes: Uint8Array;
}

export type { UploadResult };

export async function uploadImages(s: ServiceDeps, actorId: UserId, projectId: ProjectId, files: UploadFile[], maxBytes = s.limits.maxImageBytes): Promise<UploadResult> {
  if (files.length === 0) throw badRequest('no files in the upload (send them as multipart field "files")');
  const probed = [];
  for (const f of files) {
    if (f.bytes.byteLength > maxBytes) {
      throw new AppError('payload_too_large', `"${f.name}" is ${f.bytes.byteLength} bytes; the limit is ${maxBytes}`);
    }
    probed.push({ file: f, info: await probeImage(f.bytes, f.name) });
  }
  const stored: { file: UploadFile; info: Awaited<ReturnType<typeof probeImage>>; sha256: Sha256; size: number; thumbSha256: Sha256; thumbSize: number }[] = [];
  for (const { file, info } of probed) {
    const blob = await s.blobs.put(file.bytes);
    // Bytes seen before (a re-import) already have a thumbnail: no need to render it again.
    const known = blob.created ? null : await s.data.images.thumbnailOf(blob.sha256);
    const thumb = known ?? (await s.blobs.put(await thumbnail(file.bytes)));
    stored.push({ file, info, sha256: blob.sha256, size: blob.size, thumbSha256: thumb.sha256, thumbSize: thumb.size });
  }
  return s.data.transaction(async (r) => {
    const items: UploadResult['items'] = [];
    const t = now();
    for (const x of stored) {
      await r.blobs.insertIfAbsent({ sha256: x.sha256, size: x.size, mime: x.info.mime, createdAt: t });
      await r.blobs.insertIfAbsent({ sha256: x.thumbSha256, size: x.thumbSize, mime: 'image/webp', createdAt: t });
      const existing = await r.images.bySha(projectId, x.sha256);
      if (existing) {
        items.push({ ...imageView(existing), created: false });
        continue;
      }
      const row: ImageRecord = {
        id: newId() as ImageId,
        projectId,
        sha256: x.sha256,
        fileName: x.file.name,
        mime: x.info.mime,
        width: x.info.width,
        height: x.info.height,
        orientation: x.info.orientation,
        thumbSha256: x.thumbSha256,
        status: 'new',
        assigneeId: null,
        createdAt: t,
        createdBy: actorId,
      };
      await r.images.insert(row);
      items.push({ ...imageView(row), created: true });
    }
    const created = items.filter((i) => i.created);
    await audit(r, {
      actorId,
      projectId,
      action: 'image.upload',
      subject: projectId,
      details: { created: created.map((i) => ({ id: i.id, fileName: i.fileName, sha256: i.sha256 })), existing: items.length - created.length },
    });
    return { items };
  });
}
