// Image size and EXIF orientation from the first bytes of a PNG, JPEG or WebP file, as a pure
// function over bytes: converters normalise by the displayed size, the server stores it.
import { err, ok, type Result } from './errors.ts';

export const IMAGE_MIMES = { png: 'image/png', jpeg: 'image/jpeg', webp: 'image/webp' } as const;
export type ImageMime = (typeof IMAGE_MIMES)[keyof typeof IMAGE_MIMES];

export interface ImageHeader {
  mime: ImageMime;
  /** Stored pixel size. */
  width: number;
  height: number;
  /** EXIF orientation 1–8 (1 when absent); 5–8 turn the image a quarter. */
  orientation: number;
  /** Size as shown after applying the orientation: what annotations are drawn on. */
  displayWidth: number;
  displayHeight: number;
}

/** `truncated`: the header continues past the given bytes (read more of the file and retry). */
export interface ImageHeaderError {
  code: 'unsupported' | 'truncated' | 'corrupt';
  message: string;
}

type HeaderResult = Result<ImageHeader, ImageHeaderError>;
const truncated = (what: string): HeaderResult => err({ code: 'truncated', message: `file ends inside the ${what}` });
const corrupt = (message: string): HeaderResult => err({ code: 'corrupt', message });

export function readImageHeader(bytes: Uint8Array): HeaderResult {
  const b = bytes;
  if (b.length >= 8 && b[0] === 0x89 && b[1] === 0x50 && b[2] === 0x4e && b[3] === 0x47) return readPng(b);
  if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return readJpeg(b);
  if (b.length >= 12 && ascii(b, 0, 4) === 'RIFF' && ascii(b, 8, 4) === 'WEBP') return readWebp(b);
  if (b.length < 12) return truncated('file signature');
  return err({ code: 'unsupported', message: 'not a PNG, JPEG or WebP image' });
}

function header(mime: ImageMime, width: number, height: number, orientation: number): HeaderResult {
  if (!(width > 0 && height > 0)) return corrupt(`image size ${width}×${height} is empty`);
  const o = orientation >= 1 && orientation <= 8 ? orientation : 1;
  const turned = o >= 5;
  return ok({ mime, width, height, orientation: o, displayWidth: turned ? height : width, displayHeight: turned ? width : height });
}

function readPng(b: Uint8Array): HeaderResult {
  if (b.length < 24) return truncated('PNG header');
  if (ascii(b, 12, 4) !== 'IHDR') return corrupt('PNG without IHDR chunk');
  const width = u32be(b, 16);
  const height = u32be(b, 20);
  // An eXIf chunk, if any, comes before the first IDAT.
  let p = 8;
  for (;;) {
    if (p + 8 > b.length) return truncated('PNG chunks before the image data');
    const len = u32be(b, p);
    const type = ascii(b, p + 4, 4);
    if (type === 'IDAT' || type === 'IEND') return header(IMAGE_MIMES.png, width, height, 1);
    if (type === 'eXIf') {
      if (p + 8 + len > b.length) return truncated('PNG eXIf chunk');
      return header(IMAGE_MIMES.png, width, height, tiffOrientation(b, p + 8, p + 8 + len));
    }
    p += 12 + len;
  }
}

function readJpeg(b: Uint8Array): HeaderResult {
  let p = 2;
  let orientation = 1;
  for (;;) {
    if (p + 2 > b.length) return truncated('JPEG header');
    if (b[p] !== 0xff) return corrupt(`JPEG marker expected at byte ${p}`);
    const m = b[p + 1];
    if (m === 0xff) {
      p++; // fill byte
      continue;
    }
    if (m === 0x01 || (m >= 0xd0 && m <= 0xd8)) {
      p += 2;
      continue;
    }
    if (m === 0xd9 || m === 0xda) return corrupt('JPEG without a frame header before the image data');
    if (p + 4 > b.length) return truncated('JPEG header');
    const len = u16be(b, p + 2);
    const data = p + 4;
    const isSof = m >= 0xc0 && m <= 0xcf && m !== 0xc4 && m !== 0xc8 && m !== 0xcc;
    if (isSof) {
      if (data + 5 > b.length) return truncated('JPEG frame header');
      return header(IMAGE_MIMES.jpeg, u16be(b, data + 3), u16be(b, data + 1), orientation);
    }
    if (m === 0xe1 && len >= 8 && orientation === 1) {
      if (p + 2 + len > b.length) return truncated('JPEG EXIF segment');
      if (ascii(b, data, 6) === 'Exif\0\0') orientation = tiffOrientation(b, data + 6, p + 2 + len);
    }
    p += 2 + len;
  }
}

function readWebp(b: Uint8Array): HeaderResult {
  let p = 12;
  let size: [number, number] | undefined;
  let wantExif = false;
  for (;;) {
    if (p + 8 > b.length) {
      if (size && !wantExif) return header(IMAGE_MIMES.webp, size[0], size[1], 1);
      return truncated(size ? 'WebP EXIF chunk' : 'WebP header');
    }
    const type = ascii(b, p, 4);
    const len = u32le(b, p + 4);
    const d = p + 8;
    if (type === 'VP8X') {
      if (d + 10 > b.length) return truncated('WebP VP8X chunk');
      wantExif = (b[d] & 0x08) !== 0;
      size = [1 + u24le(b, d + 4), 1 + u24le(b, d + 7)];
      if (!wantExif) return header(IMAGE_MIMES.webp, size[0], size[1], 1);
    } else if (type === 'VP8 ' && !size) {
      if (d + 10 > b.length) return truncated('WebP VP8 frame header');
      if (b[d + 3] !== 0x9d || b[d + 4] !== 0x01 || b[d + 5] !== 0x2a) return corrupt('WebP VP8 start code missing');
      return header(IMAGE_MIMES.webp, u16le(b, d + 6) & 0x3fff, u16le(b, d + 8) & 0x3fff, 1);
    } else if (type === 'VP8L' && !size) {
      if (d + 5 > b.length) return truncated('WebP VP8L header');
      if (b[d] !== 0x2f) return corrupt('WebP VP8L signature missing');
      const bits = u32le(b, d + 1);
      return header(IMAGE_MIMES.webp, (bits & 0x3fff) + 1, ((bits >>> 14) & 0x3fff) + 1, 1);
    } else if (type === 'EXIF' && size) {
      if (d + len > b.length) return truncated('WebP EXIF chunk');
      const start = ascii(b, d, 6) === 'Exif\0\0' ? d + 6 : d;
      return header(IMAGE_MIMES.webp, size[0], size[1], tiffOrientation(b, start, d + len));
    }
    p = d + len + (len & 1);
  }
}

/** The Orientation tag (0x0112) of IFD0 in a TIFF structure at b[start..end), or 1. */
function tiffOrientation(b: Uint8Array, start: number, end: number): number {
  if (start + 8 > end) return 1;
  const order = ascii(b, start, 2);
  if (order !== 'II' && order !== 'MM') return 1;
  const le = order === 'II';
  const u16 = (o: number) => (le ? u16le(b, o) : u16be(b, o));
  const u32 = (o: number) => (le ? u32le(b, o) : u32be(b, o));
  if (u16(start + 2) !== 42) return 1;
  const ifd = start + u32(start + 4);
  if (ifd + 2 > end) return 1;
  const count = u16(ifd);
  for (let i = 0; i < count; i++) {
    const e = ifd + 2 + i * 12;
    if (e + 12 > end) return 1;
    if (u16(e) === 0x0112) {
      const v = u16(e + 8);
      return v >= 1 && v <= 8 ? v : 1;
    }
  }
  return 1;
}

const ascii = (b: Uint8Array, o: number, n: number) => String.fromCharCode(...b.subarray(o, o + n));
const u16be = (b: Uint8Array, o: number) => (b[o] << 8) | b[o + 1];
const u16le = (b: Uint8Array, o: number) => b[o] | (b[o + 1] << 8);
const u24le = (b: Uint8Array, o: number) => b[o] | (b[o + 1] << 8) | (b[o + 2] << 16);
const u32be = (b: Uint8Array, o: number) => ((b[o] << 24) | (b[o + 1] << 16) | (b[o + 2] << 8) | b[o + 3]) >>> 0;
const u32le = (b: Uint8Array, o: number) => (b[o] | (b[o + 1] << 8) | (b[o + 2] << 16) | (b[o + 3] << 24)) >>> 0;
