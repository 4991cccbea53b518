// Reads a multipart upload as it arrives (multipart-stream.ts). Each file is offered to `take`
// with its first bytes and the rest as a stream (images go straight to the blob store that way);
// files it declines are collected in memory (annotation files, archives), and with `unzip`, .zip
// archives are replaced by their entries, unpacked by the given function (the import worker, with
// the zip reader's limits). File names are cleaned (control characters and bidi overrides
// stripped, at most 255 characters). The whole request stays under the route's upload limit.
import type { Context } from 'hono';
import { badRequest } from '../../shared/errors.ts';
import { cleanFileName } from '../../shared/names.ts';
import { isZip } from '../imports/is-zip.ts';
import type { ZipEntry } from '../imports/zip-reader.ts';
import { collectBytes, withHead } from '../services/byte-streams.ts';
import type { IncomingFile, UploadFile } from '../services/uploads.ts';
import { boundaryOf, readMultipart } from './multipart-stream.ts';

export type Unzip = (archives: { name: string; bytes: Uint8Array }[]) => Promise<ZipEntry[][]>;

/** Offered each file as it arrives; true when it read (or will not need) the file's bytes. */
export type TakeFile = (file: IncomingFile, head: Uint8Array) => Promise<boolean>;

const MAX_FIELD_BYTES = 64 * 1024;
/** Enough to tell an image or a zip by its first bytes. */
const HEAD_BYTES = 16;

export interface UploadOptions {
  take?: TakeFile;
  unzip?: Unzip;
  /** The most bytes of files that `take` declined, kept in memory together. */
  maxBufferedBytes?: number;
}

/** The request's text fields and the files `take` declined, in order, archives expanded in place. */
export async function readUpload(c: Context, { take, unzip, maxBufferedBytes = Infinity }: UploadOptions = {}): Promise<{ files: UploadFile[]; fields: Record<string, string> }> {
  const boundary = boundaryOf(c.req.header('content-type') ?? '');
  const body = c.req.raw.body;
  if (!body) throw badRequest('multipart body: the request has no body');
  const parts: (UploadFile | { archive: number })[] = [];
  const archives: { name: string; bytes: Uint8Array }[] = [];
  const fields: Record<string, string> = {};
  let buffered = 0;
  // Read without cancelling, and the lock released however this ends: on a refusal the guard
  // (upload-limit.ts) reads the rest, so that a client still sending gets to read the answer.
  const chunks = (body as unknown as { values(o: { preventCancel: boolean }): AsyncIterableIterator<Uint8Array> }).values({ preventCancel: true });
  try {
    for await (const part of readMultipart(chunks, boundary)) {
      if (part.fileName === null) {
        const bytes = await collectBytes(part.body, MAX_FIELD_BYTES, `multipart part ${part.index} (field "${part.name}")`);
        fields[part.name] = new TextDecoder().decode(bytes);
        continue;
      }
      const name = cleanFileName(part.fileName || 'unnamed');
      const { head, all } = await withHead(part.body, HEAD_BYTES);
      if (take && (await take({ name, source: all }, head))) continue;
      const bytes = await collectBytes(all, maxBufferedBytes - buffered, `the files other than images in this upload (up to "${name}")`);
      buffered += bytes.byteLength;
      if (unzip && isZip(bytes)) {
        parts.push({ archive: archives.length });
        archives.push({ name, bytes });
      } else parts.push({ name, bytes });
    }
  } finally {
    await chunks.return?.();
  }
  const unpacked = archives.length ? await unzip!(archives) : [];
  const files = parts.flatMap((p) => ('archive' in p ? unpacked[p.archive].map((e) => ({ name: cleanFileName(e.name), bytes: e.bytes })) : [p]));
  return { files, fields };
}

