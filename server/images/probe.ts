// Identifies uploaded images by their bytes (never by name), reads display size (after EXIF
// orientation) and renders thumbnails.
import type { Metadata } from 'sharp';
import { AppError } from '../../shared/errors.ts';

type Sharp = typeof import('sharp').default;
let loaded: Promise<Sharp> | null = null;
/**
 * libvips is loaded on first use (some 40 MB of resident memory): a server that is not handling
 * images, and every `tessera` command that never touches one, does not carry it.
 */
function sharpLib(): Promise<Sharp> {
  return (loaded ??= import('sharp').then((m) => {
    // libvips' operation cache only helps repeated work on the same image; uploads are each seen once.
    m.default.cache(false);
    return m.default;
  }));
}

export const IMAGE_MIMES = ['image/jpeg', 'image/png', 'image/webp'] as const;
export type ImageMime = (typeof IMAGE_MIMES)[number];

export function sniffMime(b: Uint8Array): ImageMime | null {
  if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return 'image/jpeg';
  if (b.length >= 8 && b[0] === 0x89 && b[1] === 0x50 && b[2] === 0x4e && b[3] === 0x47 && b[4] === 0x0d && b[5] === 0x0a && b[6] === 0x1a && b[7] === 0x0a)
    return 'image/png';
  if (
    b.length >= 12 &&
    String.fromCharCode(b[0], b[1], b[2], b[3]) === 'RIFF' &&
    String.fromCharCode(b[8], b[9], b[10], b[11]) === 'WEBP'
  )
    return 'image/webp';
  return null;
}

export interface ImageInfo {
  mime: ImageMime;
  /** Size as displayed, i.e. after applying EXIF orientation (5–8 swap width and height). */
  width: number;
  height: number;
  orientation: number;
}

export async function probeImage(bytes: Uint8Array, fileName: string): Promise<ImageInfo> {
  const mime = sniffMime(bytes);
  if (!mime) throw notAnImage(fileName);
  return inspectImage(bytes, fileName, mime);
}

export const notAnImage = (fileName: string) =>
  new AppError('unsupported_media_type', `"${fileName}" is not a JPEG, PNG or WebP image (its first bytes match none of them)`);

/**
 * Reads the size and orientation of an image whose type was sniffed already, from its bytes or
 * from a file (which libvips reads as it needs, without holding the whole file in memory).
 */
export async function inspectImage(input: Uint8Array | string, fileName: string, mime: ImageMime): Promise<ImageInfo> {
  const sharp = await sharpLib();
  let meta: Metadata;
  try {
    meta = await sharp(input).metadata();
  } catch (e) {
    throw new AppError('unsupported_media_type', `"${fileName}" looks like ${mime} but cannot be decoded: ${(e as Error).message}`);
  }
  if (!meta.width || !meta.height) throw new AppError('unsupported_media_type', `"${fileName}" has no image size`);
  const orientation = meta.orientation ?? 1;
  const swap = orientation >= 5 && orientation <= 8;
  return { mime, width: swap ? meta.height : meta.width, height: swap ? meta.width : meta.height, orientation };
}

/** A WebP thumbnail no larger than `size` on its longer side, upright; from bytes or a file. */
export async function thumbnail(input: Uint8Array | string, size = 256): Promise<Buffer> {
  const sharp = await sharpLib();
  return sharp(input).rotate().resize(size, size, { fit: 'inside', withoutEnlargement: true }).webp({ quality: 70 }).toBuffer();
}
