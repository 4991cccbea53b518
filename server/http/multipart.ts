// Reads the files of a multipart request, unpacking .zip archives into their entries.
import type { Context } from 'hono';
import { unzipSync } from 'fflate';
import { AppError } from '../../shared/errors.ts';
import type { UploadFile } from '../services/images.ts';

const isZip = (b: Uint8Array) => b.length >= 4 && b[0] === 0x50 && b[1] === 0x4b && b[2] === 0x03 && b[3] === 0x04;

export interface ZipLimits {
  /** Largest entry, unpacked. */
  maxEntryBytes: number;
  /** All entries of all archives of the request, unpacked. */
  maxTotalBytes: number;
}

/**
 * Collects the request's files and text fields. With `unzip`, .zip archives are replaced by their
 * entries; their unpacked sizes are checked against `limits` before anything is inflated (fflate
 * inflates into a buffer of the declared size, so a lying header cannot exceed it either).
 */
export async function multipartFiles(
  c: Context,
  { unzip = false, limits }: { unzip?: boolean; limits?: ZipLimits } = {},
): Promise<{ files: UploadFile[]; fields: Record<string, string> }> {
  let unpacked = 0;
  const type = c.req.header('content-type') ?? '';
  if (!type.startsWith('multipart/form-data')) throw new AppError('unsupported_media_type', 'send files as multipart/form-data, field "files"');
  const form = await c.req.parseBody({ all: true });
  const files: UploadFile[] = [];
  const fields: Record<string, string> = {};
  for (const [key, value] of Object.entries(form)) {
    for (const v of Array.isArray(value) ? value : [value]) {
      if (typeof v === 'string') {
        fields[key] = v;
        continue;
      }
      const bytes = new Uint8Array(await v.arrayBuffer());
      const name = v.name || 'unnamed';
      if (unzip && isZip(bytes)) {
        let entries: Record<string, Uint8Array>;
        try {
          entries = unzipSync(bytes, {
            filter: (f) => {
              if (!limits) return true;
              if (f.originalSize > limits.maxEntryBytes) {
                throw new AppError('payload_too_large', `"${name}": entry "${f.name}" unpacks to ${f.originalSize} bytes; the limit is ${limits.maxEntryBytes}`);
              }
              unpacked += f.originalSize;
              if (unpacked > limits.maxTotalBytes) {
                throw new AppError('payload_too_large', `"${name}" unpacks to more than ${limits.maxTotalBytes} bytes in all`);
              }
              return true;
            },
          });
        } catch (e) {
          if (e instanceof AppError) throw e;
          throw new AppError('validation', `"${name}" is not a readable zip archive: ${(e as Error).message}`);
        }
        for (const [path, data] of Object.entries(entries)) {
          if (path.endsWith('/') || path.startsWith('__MACOSX/') || /(^|\/)\./.test(path)) continue;
          files.push({ name: path, bytes: data });
        }
      } else {
        files.push({ name, bytes });
      }
    }
  }
  return { files, fields };
}
