// Runs an import's heavy steps (unzipping, parsing annotation files) in a worker thread, so the
// server keeps answering while a large or hostile upload is read. One worker per import, with a
// heap limit (a hostile file that still needs too much memory kills the worker, not the server),
// at most a few imports at once (others are refused with 429), and terminated when the import ends.
import { Worker } from 'node:worker_threads';
import type { AnnotationSetOptions, ImportFormat } from '../../shared/annotation-set.ts';
import { AppError, type ErrorCode, type Result } from '../../shared/errors.ts';
import type { Dataset, FormatError } from '../../shared/formats/index.ts';
import { boundedPool } from '../services/bounded-pool.ts';
import type { ZipEntry, ZipLimits } from './zip-reader.ts';

export type WorkerTask =
  | { kind: 'unzip'; archives: { name: string; bytes: Uint8Array }[]; limits: ZipLimits }
  | { kind: 'parse'; format: ImportFormat; files: { name: string; bytes: Uint8Array }[]; annotator?: string; sizes: [string, { width: number; height: number }][]; uploaded: string[] };

export type WorkerAnswer = { ok: true; value: unknown } | { ok: false; error: { code: ErrorCode; message: string; details?: unknown } };

export interface ImportWorker {
  unzip(archives: { name: string; bytes: Uint8Array }[], limits: ZipLimits): Promise<ZipEntry[][]>;
  parse(format: ImportFormat, files: { name: string; bytes: Uint8Array }[], options: AnnotationSetOptions): Promise<Result<Dataset, FormatError>>;
  close(): Promise<void>;
}

const BOOT = new URL('./worker-boot.mjs', import.meta.url);
const imports = boundedPool({ concurrency: 2, maxQueue: 4, busy: 'the server is busy with other imports; try again in a minute' });

function start(heapMb: number): ImportWorker {
  const worker = new Worker(BOOT, { resourceLimits: { maxOldGenerationSizeMb: heapMb } });
  let failure: Error | null = null;
  const pending: { resolve: (a: WorkerAnswer) => void; reject: (e: Error) => void }[] = [];
  const fail = (e: Error) => {
    failure = e;
    pending.splice(0).forEach((p) => p.reject(e));
  };
  worker.on('message', (a: WorkerAnswer) => pending.shift()?.resolve(a));
  worker.on('error', (e: NodeJS.ErrnoException) =>
    fail(e.code === 'ERR_WORKER_OUT_OF_MEMORY' ? new AppError('payload_too_large', `reading this import needs more than ${heapMb} MB of memory`) : e),
  );
  worker.on('exit', (code) => fail(failure ?? new Error(`the import worker stopped (exit code ${code})`)));
  const call = async (task: WorkerTask, transfer: ArrayBuffer[]): Promise<unknown> => {
    if (failure) throw failure;
    const answer = await new Promise<WorkerAnswer>((resolve, reject) => {
      pending.push({ resolve, reject });
      worker.postMessage(task, transfer);
    });
    if (!answer.ok) throw new AppError(answer.error.code, answer.error.message, answer.error.details);
    return answer.value;
  };
  // Transfer a buffer only when the bytes own all of it (otherwise copy: the rest is not ours).
  const own = (b: Uint8Array) => (b.byteOffset === 0 && b.byteLength === b.buffer.byteLength ? b : b.slice());
  return {
    async unzip(archives, limits) {
      const mine = archives.map((a) => ({ name: a.name, bytes: own(a.bytes) }));
      return (await call({ kind: 'unzip', archives: mine, limits }, mine.map((a) => a.bytes.buffer as ArrayBuffer))) as ZipEntry[][];
    },
    async parse(format, files, options) {
      const task: WorkerTask = { kind: 'parse', format, files, annotator: options.annotator, sizes: [...options.sizes], uploaded: [...(options.uploaded ?? [])] };
      return (await call(task, [])) as Result<Dataset, FormatError>;
    },
    async close() {
      failure ??= new Error('the import worker was closed');
      await worker.terminate();
    },
  };
}

/** Runs `work` with a fresh import worker (waiting for a slot; 429 when too many imports wait). */
export function withImportWorker<T>(work: (w: ImportWorker) => Promise<T>, { heapMb = 2048 }: { heapMb?: number } = {}): Promise<T> {
  return imports.run(async () => {
    const w = start(heapMb);
    try {
      return await work(w);
    } finally {
      await w.close();
    }
  });
}
