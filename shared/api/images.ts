// REST shapes for images (listing, upload, assignment) and annotation imports.
import { z } from 'zod';
import { IMPORT_FORMATS, type ImportFormat } from '../annotation-set.ts';
import type { ImageId, Sha256, UserId } from '../ids.ts';
import { IMAGE_STATUSES, type ImageStatus } from '../roles.ts';
import { pageQuery } from './common.ts';

export const ImageListQuery = z.strictObject({
  ...pageQuery,
  status: z.enum(IMAGE_STATUSES).optional(),
  /** A user id, or `none` for unassigned images. */
  assignee: z.string().min(1).max(64).optional(),
});
export const AssignImages = z.strictObject({ imageIds: z.array(z.string().min(1).max(64)).min(1).max(10_000), assignee: z.string().min(1).max(64).nullable() });
/** The text fields of a multipart import. */
export const ImportFields = z.strictObject({ format: z.enum(IMPORT_FORMATS), annotator: z.string().min(1).max(200).optional() });

export interface ImageInfo {
  id: ImageId;
  sha256: Sha256;
  fileName: string;
  width: number;
  height: number;
  mime: string;
  status: ImageStatus;
  assignee: UserId | null;
  thumbSha256: Sha256 | null;
}

/** POST /projects/:id/images: each file's image, and whether it was new (201 when any was). */
export interface UploadResult {
  items: (ImageInfo & { created: boolean })[];
}

/** POST /projects/:id/imports. */
export interface ImportReport {
  format: ImportFormat;
  images: { uploaded: number; existing: number };
  annotated: { fileName: string; imageId: ImageId; shapes: number; tags: number }[];
  skipped: { fileName: string; reason: string }[];
  classesCreated: string[];
  shapes: number;
}
