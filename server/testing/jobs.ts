// Test harness for the job runner: a temp SQLite queue, a registry, a runner, and promises that
// resolve when a job settles (from the runner's own notifications, not from polling).
import { memoryCommentIndex } from '../adapters/memory/comment-index.ts';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Stage, StageServices } from '../../shared/stage.ts';
import { sqliteJobQueue } from '../adapters/sqlite/job-queue.ts';
import type { Job, JobQueue } from '../ports/job-queue.ts';
import { stageBlobs } from '../jobs/blobs.ts';
import { stageRegistry, type StageRegistry } from '../jobs/registry.ts';
import { createRunner, type Runner, type RunnerOptions } from '../jobs/runner.ts';
import { fsBlobStore } from '../adapters/fs/blob-store.ts';
import { fsScratchDirs, fsStageFiles } from '../adapters/fs/stage-files.ts';
import { tempDb, tempDir } from './fixtures.ts';
import type { Db } from '../adapters/sqlite/open.ts';
import type { BlobStore } from '../ports/blob-store.ts';
import { sqliteDataStore } from '../adapters/sqlite/data-store.ts';
import { sqliteUpdateStore } from '../adapters/sqlite/update-store.ts';
import type { DocWriter } from '../services/doc-writer.ts';
import { createSyncCore } from '../sync/core.ts';
import { coreDocWriter } from '../sync/doc-writer.ts';
import { sqliteClientIds } from '../adapters/sqlite/client-ids.ts';
import { inProcessEventBus } from '../adapters/memory/event-bus.ts';
import { stageServices } from '../jobs/stage-services.ts';
import { assignImages } from '../services/images.ts';
import { jobImporter } from '../jobs/job-imports.ts';
import type { ServiceDeps } from '../services/deps.ts';
import type { ImageId, ProjectId, UserId } from '../../shared/ids.ts';

/** For stages that do not touch project data: any call is a test failure. */
export const noServices = new Proxy({} as StageServices, {
  get: (_t, name) => () => Promise.reject(new Error(`services.${String(name)} is not available in this test`)),
});

/** Runner resources for stages that touch neither blobs nor project data. */
export const noResources: RunnerOptions['resources'] = () => ({ blobs: null as never, services: noServices });

/** A runner's `onJob` that resolves `all` once `n` jobs have settled. */
export function settledCounter(n: number): { all: Promise<void>; onJob: NonNullable<RunnerOptions['onJob']> } {
  let done = 0;
  let finish!: () => void;
  const all = new Promise<void>((r) => (finish = r));
  return { all, onJob: (_job, change) => void (change === 'settled' && ++done === n && finish()) };
}

export interface JobHarness {
  db: Db;
  queue: JobQueue;
  stages: StageRegistry;
  runner: Runner;
  dbFile: string;
  /** Resolves with the job once it settles in a finished (or retry-waiting) state matching `done`. */
  settled(id: string, done?: (job: Job) => boolean): Promise<Job>;
  close(): Promise<void>;
}

export interface HarnessOptions extends Partial<RunnerOptions> {
  /** Builds the jobs' ctx resources over the harness's own database and blobs. */
  resourcesFor?(db: Db, blobs: BlobStore): RunnerOptions['resources'];
}

export function jobHarness(stages: Stage[], sourceUrl: string, opts: HarnessOptions = {}): JobHarness {
  const db = tempDb();
  const blobsDir = tempDir();
  const queue = sqliteJobQueue(db.db);
  const registry = stageRegistry(fsStageFiles());
  const source = fileURLToPath(sourceUrl);
  for (const s of stages) registry.add(s, source);
  const waiters = new Set<{ id: string; done: (j: Job) => boolean; resolve: (j: Job) => void }>();
  const blobStore = fsBlobStore(join(blobsDir.dir, 'blobs'));
  const blobs = stageBlobs(blobStore);
  const runner = createRunner({
    queue,
    stages: registry,
    resources: opts.resourcesFor?.(db.db, blobStore) ?? (() => ({ blobs, services: noServices })),
    pollMs: 50,
    leaseMs: 2_000,
    progressMs: 20,
    serverStages: true,
    scratch: fsScratchDirs(),
    log: () => {},
    ...opts,
    onJob: async (job, change) => {
      await opts.onJob?.(job, change);
      if (change !== 'settled') return;
      for (const w of [...waiters]) if (w.id === job.id && w.done(job)) (waiters.delete(w), w.resolve(job));
    },
  });
  runner.start();
  const finished = (j: Job) => ['succeeded', 'failed', 'dead', 'cancelled'].includes(j.state);
  return {
    db: db.db,
    queue,
    stages: registry,
    runner,
    dbFile: db.file,
    settled(id, done = finished) {
      return new Promise((resolve) => {
        waiters.add({ id, done, resolve });
        void queue.get(id).then((j) => {
          if (j && done(j)) for (const w of [...waiters]) if (w.id === id && w.resolve === resolve) (waiters.delete(w), resolve(j));
        });
      });
    },
    async close() {
      await runner.stop();
      db.cleanup();
      blobsDir.cleanup();
    },
  };
}

/** The real service dependencies over a test database (documents through a sync core of their own, without sockets). */
export function serviceDeps(db: Db, blobStore: BlobStore, docs: DocWriter = coreDocWriter(createSyncCore({ store: sqliteUpdateStore(db), clientIds: sqliteClientIds(db), log: () => {} }))): ServiceDeps {
  return { data: sqliteDataStore(db), blobs: blobStore, docs, classUsage: () => 0, accessChanged: () => {}, limits: { maxImageBytes: 50 << 20 }, events: inProcessEventBus(), comments: memoryCommentIndex() };
}

/** ctx resources over the real services of the harness's database (documents through a socketless sync core). */
export function realResources(onDocs?: (docs: DocWriter, services: ServiceDeps) => void): NonNullable<HarnessOptions['resourcesFor']> {
  return (db, blobStore) => {
    const svc = serviceDeps(db, blobStore);
    onDocs?.(svc.docs, svc);
    const blobs = stageBlobs(blobStore);
    const deps = {
      repos: svc.data,
      docs: svc.docs,
      assign: async (actor: string, projectId: string, ids: string[], assignee: string | null) =>
        void (await assignImages(svc, actor as UserId, projectId as ProjectId, ids as ImageId[], assignee as UserId | null)),
      importFiles: jobImporter(svc, { maxEntryBytes: 50 << 20, maxTotalBytes: 1 << 30, maxEntries: 100_000 }),
    };
    return (job) => ({ blobs, services: stageServices(deps, job) });
  };
}

/** The SHA-256 of a file's bytes (what the registry records as a stage's source hash). */
export const sha256File = (file: string): string => createHash('sha256').update(readFileSync(file)).digest('hex');
