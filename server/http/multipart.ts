// Reads the files of a multipart request; with `unzip`, .zip archives are replaced by their
// entries, unpacked by the given function (the import worker, with the zip reader's limits). File
// names are cleaned (control characters and bidi overrides stripped, at most 255 characters).
import type { Context } from 'hono';
import { AppError } from '../../shared/errors.ts';
import { cleanFileName } from '../../shared/names.ts';
import { isZip, type ZipEntry } from '../imports/zip-reader.ts';
import type { UploadFile } from '../services/uploads.ts';

export type Unzip = (archives: { name: string; bytes: Uint8Array }[]) => Promise<ZipEntry[][]>;

/** Collects the request's files and text fields, in order, archives expanded in place. */
export async function multipartFiles(c: Context, { unzip }: { unzip?: Unzip } = {}): Promise<{ files: UploadFile[]; fields: Record<string, string> }> {
  const type = c.req.header('content-type') ?? '';
  if (!type.startsWith('multipart/form-data')) throw new AppError('unsupported_media_type', 'send files as multipart/form-data, field "files"');
  const form = await c.req.parseBody({ all: true });
  const parts: (UploadFile | { archive: number })[] = [];
  const archives: { name: string; bytes: Uint8Array }[] = [];
  const fields: Record<string, string> = {};
  for (const [key, value] of Object.entries(form)) {
    for (const v of Array.isArray(value) ? value : [value]) {
      if (typeof v === 'string') {
        fields[key] = v;
        continue;
      }
      const bytes = new Uint8Array(await v.arrayBuffer());
      const name = cleanFileName(v.name || 'unnamed');
      if (unzip && isZip(bytes)) {
        parts.push({ archive: archives.length });
        archives.push({ name, bytes });
      } else parts.push({ name, bytes });
    }
  }
  const unpacked = archives.length ? await unzip!(archives) : [];
  const files = parts.flatMap((p) => ('archive' in p ? unpacked[p.archive].map((e) => ({ name: cleanFileName(e.name), bytes: e.bytes })) : [p]));
  return { files, fields };
}
