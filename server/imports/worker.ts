// The import worker thread: unpacks zip archives (with the zip reader's limits) and parses
// annotation sets, so that neither runs on the server's event loop. One request message in, one
// answer out: `{ ok: true, value }` or `{ ok: false, error: { code, message, details } }`.
import { parentPort } from 'node:worker_threads';
import { parseAnnotationSet } from '../../shared/annotation-set.ts';
import { AppError } from '../../shared/errors.ts';
import { readZip, type ZipEntry } from './zip-reader.ts';
import type { WorkerAnswer, WorkerTask } from './offload.ts';

async function run(task: WorkerTask): Promise<{ value: unknown; transfer: ArrayBuffer[] }> {
  if (task.kind === 'unzip') {
    const budget = { left: task.limits.maxTotalBytes };
    const out: ZipEntry[][] = task.archives.map((a) => readZip(a.bytes, a.name, task.limits, budget));
    return { value: out, transfer: out.flat().map((e) => e.bytes.buffer as ArrayBuffer) };
  }
  const text = new TextDecoder();
  const parsed = await parseAnnotationSet(task.format, task.files.map((f) => ({ name: f.name, text: text.decode(f.bytes) })), {
    annotator: task.annotator,
    sizes: new Map(task.sizes),
    uploaded: new Set(task.uploaded),
  });
  return { value: parsed, transfer: [] };
}

async function reply(task: WorkerTask): Promise<void> {
  let answer: WorkerAnswer;
  let transfer: ArrayBuffer[] = [];
  try {
    const r = await run(task);
    answer = { ok: true, value: r.value };
    transfer = r.transfer;
  } catch (e) {
    answer = e instanceof AppError ? { ok: false, error: { code: e.code, message: e.message, details: e.details } } : { ok: false, error: { code: 'internal', message: (e as Error).message } };
  }
  parentPort!.postMessage(answer, transfer);
}

// One task at a time, answered in the order they came: the thread's caller matches answers by order.
let done = Promise.resolve();
parentPort!.on('message', (task: WorkerTask) => {
  done = done.then(() => reply(task));
});
