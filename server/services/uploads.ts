// Image uploads: content-addressed, deduplicated per project. Each file is staged first: its bytes
// stream into the blob store (never held whole; the type is sniffed from the first bytes before
// anything is stored), then its size and thumbnail are read from the stored blob. The rows are
// written in one transaction once every file is staged, so a rejected upload records nothing (blobs
// it stored are unreferenced, and garbage collection removes them after its grace period).
import { AppError, badRequest } from '../../shared/errors.ts';
import type { ImageId, ProjectId, Sha256, UserId } from '../../shared/ids.ts';
import type { ImageRecord } from '../ports/images.ts';
import { inspectImage, notAnImage, probeImage, sniffMime, thumbnail, type ImageInfo } from '../images/probe.ts';
import { audit } from './audit.ts';
import { withHead } from './byte-streams.ts';
import type { ServiceDeps } from './deps.ts';
import { imageView } from './images.ts';
import type { UploadResult } from '../../shared/api/images.ts';
import { newId, now } from './ids.ts';

/** A file whose bytes are in memory (zip entries, demo images, tests). */
export interface UploadFile {
  name: string;
  bytes: Uint8Array;
}

/** A file as it arrives: its bytes stream in. */
export interface IncomingFile {
  name: string;
  source: AsyncIterable<Uint8Array>;
}

/** An image whose bytes and thumbnail are in the blob store, not yet recorded in a project. */
export interface StagedImage {
  name: string;
  sha256: Sha256;
  size: number;
  info: ImageInfo;
  thumbSha256: Sha256;
  thumbSize: number;
}

export type { UploadResult };

const tooLarge = (name: string, size: number | null, max: number) =>
  new AppError('payload_too_large', `"${name}" is ${size === null ? 'larger than the limit' : `${size} bytes`}; the limit is ${max}`);

/** Stores one image's bytes and thumbnail (the same bytes again are stored once). */
export async function stageImage(s: ServiceDeps, file: UploadFile | IncomingFile, maxBytes = s.limits.maxImageBytes): Promise<StagedImage> {
  const inMemory = 'bytes' in file;
  if (inMemory && file.bytes.byteLength > maxBytes) throw tooLarge(file.name, file.bytes.byteLength, maxBytes);
  const { head, all } = inMemory ? { head: file.bytes, all: null } : await withHead(file.source, 16);
  const mime = sniffMime(head);
  if (!mime) throw notAnImage(file.name);
  let blob;
  try {
    blob = await s.blobs.put(inMemory ? file.bytes : all!, { maxBytes });
  } catch (e) {
    throw e instanceof AppError && e.code === 'payload_too_large' ? tooLarge(file.name, null, maxBytes) : e;
  }
  // libvips reads a stored image from its file as it needs, so a large one is never held whole.
  const read = async <T>(fn: (input: Uint8Array | string) => Promise<T>): Promise<T> => {
    if (inMemory) return fn(file.bytes);
    const r = await s.blobs.withLocalFile(blob.sha256, fn);
    if (r === null) throw new Error(`blob ${blob.sha256} of "${file.name}" vanished after it was stored`);
    return r;
  };
  const info = await read((input) => inspectImage(input, file.name, mime));
  // Bytes seen before (a re-import) already have a thumbnail: no need to render it again.
  const known = blob.created ? null : await s.data.images.thumbnailOf(blob.sha256);
  const thumb = known ?? (await s.blobs.put(await read((input) => thumbnail(input))));
  return { name: file.name, sha256: blob.sha256, size: blob.size, info, thumbSha256: thumb.sha256, thumbSize: thumb.size };
}

/** Stages and records in-memory files (one bad file rejects them all, and nothing is recorded). */
export async function uploadImages(s: ServiceDeps, actorId: UserId, projectId: ProjectId, files: UploadFile[], maxBytes = s.limits.maxImageBytes): Promise<UploadResult> {
  if (files.length === 0) throw noFiles();
  // Every file is checked before any is stored.
  for (const f of files) {
    if (f.bytes.byteLength > maxBytes) throw tooLarge(f.name, f.bytes.byteLength, maxBytes);
    await probeImage(f.bytes, f.name);
  }
  const staged: StagedImage[] = [];
  for (const f of files) staged.push(await stageImage(s, f, maxBytes));
  return recordImages(s, actorId, projectId, staged);
}

const noFiles = () => badRequest('no files in the upload (send them as multipart field "files")');

/** Records staged images in a project, in one transaction (an image already there is reused). */
export async function recordImages(s: ServiceDeps, actorId: UserId, projectId: ProjectId, stored: StagedImage[]): Promise<UploadResult> {
  if (stored.length === 0) throw noFiles();
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
        fileName: x.name,
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
