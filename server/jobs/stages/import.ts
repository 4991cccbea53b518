// Built-in stage `import`: reads a dataset (annotation files and images) from a folder, a .zip, or
// an http(s) URL, and imports it into the project through the same path as the REST import (zips
// unpacked by the guarded zip reader in the import worker; a malformed file rejects the import
// whole), as the job's user. Local paths are relative to the server's working directory and may
// not leave it, nor reach into (or contain) a private folder such as the server's data folder,
// whose blobs hold every project's images. Runs in the server (it writes documents).
import { basename, isAbsolute, join, relative, resolve } from 'node:path';
import { z } from 'zod';
import { IMPORT_FORMATS } from '../../../shared/annotation-set.ts';
import { defineStage, StageError } from '../../../shared/stage.ts';
import type { StageFile } from '../../../shared/stage-services.ts';
import type { StageFiles } from '../../ports/stage-files.ts';
import { fetchUrl, UrlRefused, type Fetched } from './url-fetch.ts';

const MAX_BYTES = 1 << 30;
const MAX_FILES = 100_000;

/** The folder's files (hidden names skipped, links not followed), refused before reading past the caps. */
function fromFolder(fs: StageFiles, root: string): StageFile[] {
  const found = fs.walk(root, { maxFiles: MAX_FILES });
  const total = found.reduce((n, f) => n + f.size, 0);
  if (found.length > MAX_FILES || total > MAX_BYTES) throw new StageError(`import: ${root} holds more than ${MAX_FILES} files or ${MAX_BYTES} bytes`, { code: 'source', retryable: false });
  return found.map((f) => ({ name: f.path, bytes: fs.read(join(root, f.path)) }));
}

/** The answer's body, refused past MAX_BYTES (a missing or lying content-length included). */
async function readCapped(res: Fetched, source: string, timeoutMs: number, signal: AbortSignal): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for await (const chunk of res.body) {
      total += chunk.byteLength;
      if (total > MAX_BYTES) throw new StageError(`import: ${source} sends more than ${MAX_BYTES} bytes`, { code: 'source', retryable: false });
      chunks.push(chunk);
    }
  } catch (e) {
    if (e instanceof StageError) throw e;
    signal.throwIfAborted();
    const why = (e as Error).name === 'TimeoutError' ? `the answer did not finish within ${timeoutMs} ms` : (e as Error).message;
    throw new StageError(`import: ${source}: ${why}`, { code: 'source' });
  }
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) out.set(c, (at += c.byteLength) - c.byteLength);
  return out;
}

/** The body at `source`, within `timeoutMs`; failures as StageErrors naming the URL. */
async function download(source: string, timeoutMs: number, jobSignal: AbortSignal, allowPrivate: boolean): Promise<Uint8Array> {
  // The time limit is a timer of our own, cleared below: an AbortSignal.timeout() that only an
  // AbortSignal.any() refers to may be collected before it fires, and the download would hang.
  const timeout = new AbortController();
  const timer = setTimeout(() => timeout.abort(new DOMException(`no answer within ${timeoutMs} ms`, 'TimeoutError')), timeoutMs);
  const signal = AbortSignal.any([jobSignal, timeout.signal]);
  try {
    let res: Fetched;
    try {
      res = await fetchUrl(source, { signal, allowPrivate });
    } catch (e) {
      jobSignal.throwIfAborted();
      if (e instanceof UrlRefused) {
        throw new StageError(`import: with.source: ${source}: refused: ${e.message} (the server allows it with TESSERA_IMPORT_ALLOW_PRIVATE=1)`, { code: 'params', retryable: false });
      }
      const why = (e as Error).name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : ((e as Error & { cause?: Error }).cause?.message ?? (e as Error).message);
      throw new StageError(`import: ${source}: ${why}`, { code: 'source' });
    }
    if (res.status < 200 || res.status > 299) {
      (res.body as { destroy?: () => void }).destroy?.();
      throw new StageError(`import: ${source} answered ${res.status} ${res.statusText}`, { code: 'source', retryable: res.status >= 500 });
    }
    const length = res.contentLength ?? 0;
    if (length > MAX_BYTES) throw new StageError(`import: ${source} is ${length} bytes, more than ${MAX_BYTES}`, { code: 'source', retryable: false });
    return await readCapped(res, source, timeoutMs, jobSignal);
  } finally {
    clearTimeout(timer);
  }
}

/** The last path segment of a URL ("download" when empty or not decodable). */
function fileNameOf(url: string): string {
  const last = new URL(url).pathname.split('/').pop() ?? '';
  try {
    return decodeURIComponent(last) || 'download';
  } catch {
    return last || 'download';
  }
}

export interface ImportStageOptions {
  /** Folders a local source may neither lie in nor contain (the data folder: blobs of every project). */
  privateDirs?: readonly string[];
  /**
   * Let a URL reach loopback, private and link-local addresses (default false: refused, checked
   * on the address connected to and on every redirect; `TESSERA_IMPORT_ALLOW_PRIVATE=1`).
   */
  allowPrivateAddresses?: boolean;
}

/** True when `inner` is `outer` or lies under it (both real paths). */
const within = (outer: string, inner: string) => {
  const rel = relative(outer, inner);
  return rel === '' || !(rel === '..' || rel.startsWith('../') || isAbsolute(rel));
};

/** The stage over `fs` (the server's filesystem: server/ports/stage-files.ts). */
export const importStage = (fs: StageFiles, opts: ImportStageOptions = {}) => defineStage({
  name: 'import',
  version: 1,
  description: 'Imports a dataset from a folder, a .zip or an http(s) URL',
  cache: false,
  runsIn: 'server',
  params: z
    .object({
      source: z.string().min(1),
      format: z.enum(IMPORT_FORMATS),
      /** For a URL: give up after this long without the whole answer. */
      timeoutMs: z.number().int().min(100).max(3_600_000).default(60_000),
    })
    .strict(),
  input: z.unknown(),
  output: z.object({ source: z.string(), files: z.number(), report: z.unknown() }),
  async work(_input, ctx) {
    const { source, format } = ctx.params;
    let files: StageFile[];
    if (/^https?:\/\//i.test(source)) {
      if (!URL.canParse(source)) throw new StageError(`import: with.source: ${source} is not a valid URL`, { code: 'params', retryable: false });
      ctx.progress(0, `downloading ${source}`);
      const bytes = await download(source, ctx.params.timeoutMs, ctx.signal, opts.allowPrivateAddresses ?? false);
      const name = fileNameOf(source);
      files = [{ name, bytes }];
    } else {
      const cwd = fs.realpath(process.cwd());
      let real: string;
      try {
        real = fs.realpath(resolve(cwd, source));
      } catch {
        throw new StageError(`import: with.source: ${source} does not exist`, { code: 'params', retryable: false });
      }
      // Links resolved first: a link inside the working directory that points out of it is refused too.
      if (!within(cwd, real)) throw new StageError(`import: with.source: ${source} is outside the server's working directory`, { code: 'params', retryable: false });
      for (const dir of opts.privateDirs ?? []) {
        const priv = fs.stat(dir) ? fs.realpath(dir) : resolve(dir);
        if (within(priv, real) || within(real, priv)) throw new StageError(`import: with.source: ${source} reaches into the server's data folder`, { code: 'params', retryable: false });
      }
      const st = fs.stat(real);
      if (st && !st.dir && st.size > MAX_BYTES) throw new StageError(`import: ${source} is ${st.size} bytes, more than ${MAX_BYTES}`, { code: 'source', retryable: false });
      files = st?.dir ? fromFolder(fs, real) : [{ name: basename(real), bytes: fs.read(real) }];
    }
    ctx.signal.throwIfAborted();
    ctx.log.info(`${files.length} files from ${source}`);
    ctx.progress(0.3, `importing ${files.length} files`);
    let report: unknown;
    try {
      report = await ctx.services.importFiles(ctx.job.projectId!, format, files);
    } catch (e) {
      // The import service's refusals (validation, forbidden, too large) do not change on a retry; "rate_limited" (busy) does.
      const code = (e as { code?: unknown }).code;
      throw new StageError(`import: ${(e as Error).message}`, { code: typeof code === 'string' ? code : 'format', retryable: code === 'rate_limited' });
    }
    return { source, files: files.length, report };
  },
});
