// The composition root, and the only file that wires concrete parts together: config → SQLite
// (repositories, update store), blobs on disk, the sync server, the services' dependencies, the
// app, the HTTP server and its upgrades, the demo seed; and shutting them down in order. Also the
// worker process and blob garbage collection (`tessera worker`, `tessera gc`) on a data directory.
import { serve } from '@hono/node-server';
import { existsSync } from 'node:fs';
import type { Server } from 'node:http';
import { inProcessBus } from './adapters/memory/fanout.ts';
import { fsBlobStore } from './adapters/fs/blob-store.ts';
import { serveClient } from './adapters/fs/client-files.ts';
import { sqliteDataStore } from './adapters/sqlite/data-store.ts';
import { openDb, type Db } from './adapters/sqlite/open.ts';
import { createApp } from './app.ts';
import { blobDir, dbFile, loadConfig, type Config, type ConfigInput } from './config.ts';
import { seedDemo, type DemoSeed } from './demo.ts';
import { seedDemoPipeline } from './demo-pipeline.ts';
import { allowedHosts, upgradeHostAllowed } from './http/allowed-hosts.ts';
import { loginLimiterFromConfig } from './http/login-limiter.ts';
import { audit } from './services/audit.ts';
import type { BlobStore } from './ports/blob-store.ts';
import { classUsageFromDocs } from './services/class-usage.ts';
import type { ClassUsage } from './services/classes.ts';
import type { ServiceDeps } from './services/deps.ts';
import { logDocReader, type DocWriter } from './services/doc-writer.ts';
import { accessToDoc } from './services/access.ts';
import { resolveToken, tokenActive } from './services/auth.ts';
import { editRecorder } from './services/review.ts';
import { commentIndexer } from './services/comment-index.ts';
import { sqliteCommentIndex } from './adapters/sqlite/comment-index.ts';
import { createSyncCore } from './sync/core.ts';
import { inProcessEventBus } from './adapters/memory/event-bus.ts';
import { coreDocWriter } from './sync/doc-writer.ts';
import { startCheckpointer } from './adapters/sqlite/checkpointer.ts';
import { sqliteUpdateStore } from './adapters/sqlite/update-store.ts';
import { openUpdateJournal } from './adapters/sqlite/update-journal.ts';
import { SYNC_LIMITS } from './sync/guards/limits.ts';
import { resolve as resolvePath } from 'node:path';
import type { ImageId, ProjectId, UserId } from '../shared/ids.ts';
import { sqliteJobQueue } from './adapters/sqlite/job-queue.ts';
import { sqlitePipelineRuns } from './adapters/sqlite/pipeline-runs.ts';
import { stageBlobs } from './jobs/blobs.ts';
import { loadStages, type LoadedStages } from './jobs/setup.ts';
import { fsScratchDirs, fsStageFiles } from './adapters/fs/stage-files.ts';
import { stageServices, type StageServiceDeps } from './jobs/stage-services.ts';
import type { Job } from './ports/job-queue.ts';
import { createJobSystem, type JobSystem } from './jobs/system.ts';
import { startJobRelay } from './jobs/relay.ts';
import { sqliteJobChanges } from './adapters/sqlite/job-changes.ts';
import { randomBytes } from 'node:crypto';
import { assignImages } from './services/images.ts';
import { jobImporter } from './jobs/job-imports.ts';
import { sqliteClientIds } from './adapters/sqlite/client-ids.ts';
import { sqliteJobBlobReferences } from './adapters/sqlite/job-blob-references.ts';
import { collectBlobGarbage, type GcReport } from './services/blob-gc.ts';
import type { UpgradeHandler } from './http/upgrade.ts';
import { fileURLToPath } from 'node:url';
import { gated } from './adapters/serial.ts';
import { serialOf } from './adapters/sqlite/open.ts';
import { sqliteReleases } from './adapters/sqlite/releases.ts';
import { sqliteRuns } from './adapters/sqlite/runs.ts';
import { runBlobReferences } from './services/runs.ts';
import type { RevisionSource } from './ports/releases.ts';
import { releaseStage, RELEASE_STAGE_URL } from './jobs/stages/release.ts';
import { releaseReportStage, RELEASE_REPORT_STAGE_URL } from './jobs/stages/release-report.ts';
import { releaseBlobReferences, type ReleaseDeps } from './services/releases.ts';
import { releaseCaches } from './services/release-manifests.ts';
import { createSyncServer, type SyncAuth, type SyncServer, type SyncServerOptions } from './sync/ws.ts';
import { presenceTracker } from './services/presence.ts';
import { PROJECT_EVENT } from '../shared/api/events.ts';

export type { UpgradeHandler } from './http/upgrade.ts';

export interface StartOptions {
  /**
   * Options for the sync server (tests: timings, a quiet log, another `onUpdate`); `false` runs
   * without sockets (server-side document writes then go through a sync core of its own).
   */
  sync?: Partial<Omit<SyncServerOptions, 'auth' | 'store'>> | false;
  /** Further upgrade handlers, tried after the sync server. */
  upgrades?: UpgradeHandler[];
  /** Counts label usage; defaults to reading every `ann:` document of the project. */
  classUsage?: ClassUsage;
  /** Where release cuts read approved revisions (tests); defaults to the review repository. */
  revisions?: RevisionSource;
}

export interface RunningServer {
  config: Config;
  /** The SQLite connection, for tests and tools that look at rows directly. */
  db: Db;
  blobs: BlobStore;
  /** What every service call is given (tests call services with it). */
  services: ServiceDeps;
  sync: SyncServer | null;
  /** Server-side document access (through the sync server when there is one). */
  docs: DocWriter;
  /** The job system the server runs in-process (its runner started). */
  jobs: JobSystem;
  /** What the release services are given (tests cut releases with it). */
  releases: ReleaseDeps;
  url: string;
  port: number;
  demo: DemoSeed | null;
  http: Server;
  close(): Promise<void>;
}

export async function startServer(input: ConfigInput = {}, opts: StartOptions = {}): Promise<RunningServer> {
  const config = loadConfig(input);
  const db = openDb({ file: dbFile(config) });
  // Appends are durable once journaled (one write(2)) and reach doc_updates ms later; a crash's leftovers replay here first.
  const logStorage = (m: string, d?: unknown) => console.error(`tessera: ${m}`, d ?? '');
  const journal = openUpdateJournal(db, `${dbFile(config)}-updates`, { log: logStorage });
  // WAL checkpoints in a worker thread, never inside a group commit (server/adapters/sqlite/checkpointer.ts)
  const checkpointer = startCheckpointer(db, { log: logStorage });
  const data = sqliteDataStore(db);
  const blobs = fsBlobStore(blobDir(config));
  const updates = sqliteUpdateStore(db);
  const clientIds = sqliteClientIds(db);
  // Sign-in and access for sync sockets: the services' own functions (`services` is complete before the first socket).
  const auth: SyncAuth = {
    async authenticate(token) {
      const p = await resolveToken(services, token);
      return p ? { userId: p.user.id, tokenId: p.tokenId } : null;
    },
    authorize: async (userId, docName) => (await accessToDoc(services, userId as UserId, docName)).access,
    tokenActive: (tokenId) => tokenActive(services, tokenId),
  };
  const events = inProcessEventBus((e) => console.error('event listener failed', e));
  // Who is on which image, from the sync connections (the grid shows it).
  const presence = presenceTracker(
    async (imageId) => (await data.images.byId(imageId))?.projectId ?? null,
    (projectId, change) => events.publish(projectId, { type: PROJECT_EVENT.presence, ...change }),
  );
  // After an update is durable: review status follows edits; the comment index follows `cmt:` documents.
  const recordEdit = editRecorder(data, events);
  const indexComments = commentIndexer(() => services);
  const afterUpdate = (name: string, userId: string) => {
    recordEdit(name, userId);
    indexComments(name);
  };
  const sync =
    opts.sync === false
      ? null
      : createSyncServer({
          store: updates, clientIds, fanout: inProcessBus().node(), auth, onUpdate: afterUpdate, onPresence: presence.connection, trustProxy: config.trustProxy, ...opts.sync,
          limits: { ...SYNC_LIMITS, maxDocBytes: config.maxDocBytes, ...opts.sync?.limits },
        });
  const upgrades: UpgradeHandler[] = [...(sync ? [sync] : []), ...(opts.upgrades ?? [])];
  // One DocWriter: through a live sync core, so nothing writes a document's log behind a loaded room's back.
  const headless = sync ? null : createSyncCore({ store: updates, clientIds });
  const docs = coreDocWriter(sync ? sync.core : headless!);
  const services: ServiceDeps = {
    data,
    blobs,
    docs,
    classUsage: opts.classUsage ?? classUsageFromDocs(data, docs),
    accessChanged: () => upgrades.forEach((u) => u.revalidate?.()),
    limits: { maxImageBytes: config.maxImageBytes },
    events,
    comments: commentIndexIn(db),
    blobReferences: blobReferencesIn(db),
  };
  const releases: ReleaseDeps = { data, blobs, releases: gated(serialOf(db), sqliteReleases(db)), revisions: opts.revisions ?? data.review, events: services.events, caches: releaseCaches() };
  const modelRuns = gated(serialOf(db), sqliteRuns(db));
  const demo = config.demo ? await seedDemo(services, { releases, runs: modelRuns }) : null;
  const loginLimiter = loginLimiterFromConfig(config, (e) => void audit(data, e).catch((err) => console.error('audit failed', err)));
  const stages = await projectStages(config.stageDirs, config);
  stages.registry.add(releaseStage(releases), fileURLToPath(RELEASE_STAGE_URL), 'builtin');
  stages.registry.add(releaseReportStage(releases), fileURLToPath(RELEASE_REPORT_STAGE_URL), 'builtin');
  const queue = sqliteJobQueue(db);
  const runs = sqlitePipelineRuns(db);
  const workerId = `server:${process.pid}:${randomBytes(3).toString('hex')}`;
  const jobs = createJobSystem({
    queue,
    runs,
    stages: stages.registry,
    events: services.events,
    resources: jobResources(services, config),
    serverStages: true,
    scratch: fsScratchDirs(),
    concurrency: Math.max(1, config.jobConcurrency),
    workerId,
  });
  // jobConcurrency 0: the server queues and watches jobs; `tessera worker` processes run them.
  if (config.jobConcurrency > 0) jobs.runner.start();
  // The demo's pipeline run needs the job system, so it is seeded once that runs.
  if (demo?.created) await seedDemoPipeline(services, { jobs, runsJobs: config.jobConcurrency > 0 }, demo.projectId as ProjectId);
  // What worker processes do to jobs and runs reaches the event stream too.
  const relay = startJobRelay({ feed: sqliteJobChanges(db, queue, runs), queue, runs, events: services.events, ownWorkerId: workerId });
  const app = createApp({ services, config, loginLimiter, jobs, releases, runs: modelRuns, presence: sync ? presence : undefined, client: config.clientDir ? serveClient(config.clientDir) : undefined });

  const http = await new Promise<Server>((resolve) => {
    const s = serve({ fetch: app.fetch, port: config.port, hostname: config.host }, () => resolve(s as Server)) as Server;
  });
  const hostAllowed = allowedHosts({ listen: config.host, extra: config.allowedHosts });
  http.on('upgrade', (req, socket, head) => {
    if (!upgradeHostAllowed(hostAllowed, config.trustProxy, req.headers)) {
      socket.end('HTTP/1.1 421 Misdirected Request\r\nConnection: close\r\n\r\n');
      return;
    }
    for (const u of upgrades) if (u.handleUpgrade(req, socket, head)) return;
    socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n');
  });
  const address = http.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const url = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`;

  let closing: Promise<void> | null = null;
  const close = () =>
    (closing ??= (async () => {
      const stopped = new Promise<void>((resolve) => http.close(() => resolve()));
      await relay.stop();
      await jobs.runner.stop({ abort: true });
      await Promise.all(upgrades.map((u) => u.close()));
      await headless?.close();
      http.closeAllConnections();
      await stopped;
      loginLimiter.close();
      await journal.close();
      await checkpointer?.stop();
      db.$client.close();
    })());

  return { config, db, blobs, services, sync, docs, jobs, releases, url, port, demo, http, close };
}

// ── Jobs: the stages a process loads, what their ctx reaches, and `tessera worker`'s process ──

/** Built-ins, the project's stages/ folder (when present) and `--stages` folders; broken files reported by name. */
async function projectStages(dirs: string[], config: Config): Promise<LoadedStages> {
  const stages = await loadStages(fsStageFiles(), [{ dir: resolvePath('stages'), optional: true }, ...dirs.map((dir) => ({ dir: resolvePath(dir) }))], {
    import: { privateDirs: [config.dataDir], allowPrivateAddresses: config.importAllowPrivate },
  });
  for (const p of stages.problems) console.error(`tessera: stage file ${p.file} not loaded: ${p.message}`);
  return stages;
}

/** ctx.blobs and ctx.services of a job: the same service functions as the REST routes, acting as the job's user. */
function jobResources(services: ServiceDeps, config: Config) {
  const sb = stageBlobs(services.blobs);
  const deps: StageServiceDeps = {
    repos: services.data,
    docs: services.docs,
    assign: async (actor, projectId, ids, assignee) => void (await assignImages(services, actor as UserId, projectId as ProjectId, ids as ImageId[], assignee as UserId | null)),
    importFiles: jobImporter(services, { maxEntryBytes: config.maxImageBytes, maxTotalBytes: config.maxUploadBytes, maxEntries: config.maxZipEntries }),
  };
  return (job: Job) => ({ blobs: sb, services: stageServices(deps, job) });
}

export interface WorkerOptions {
  dataDir: string;
  stageDirs: string[];
  concurrency?: number;
  leaseMs?: number;
  pollMs?: number;
  log?(message: string): void;
}

export interface RunningWorker {
  jobs: JobSystem;
  stages: LoadedStages;
  close(): Promise<void>;
}

/**
 * Runs the jobs of stages that may run outside the server (`runsIn: 'server'` stages write live
 * documents through the server's sync core and stay there), reading documents from the update log.
 * Loads built-ins, ./stages when present and `stageDirs`; broken stage files are reported by name.
 */
export async function startWorker(o: WorkerOptions): Promise<RunningWorker> {
  const config = loadConfig({ dataDir: o.dataDir }, {});
  const db = openDb({ file: dbFile(config) });
  const blobs = fsBlobStore(blobDir(config));
  const data = sqliteDataStore(db);
  const docs = logDocReader(sqliteUpdateStore(db));
  const services: ServiceDeps = {
    data, blobs, docs, classUsage: () => 0, accessChanged: () => {}, limits: { maxImageBytes: config.maxImageBytes },
    // Events of this process have no subscribers here; the server relays job changes to its stream.
    events: inProcessEventBus(),
    comments: commentIndexIn(db),
    blobReferences: blobReferencesIn(db),
  };
  const stages = await projectStages(o.stageDirs, config);
  const jobs = createJobSystem({
    queue: sqliteJobQueue(db),
    runs: sqlitePipelineRuns(db),
    stages: stages.registry,
    resources: jobResources(services, config),
    serverStages: false,
    scratch: fsScratchDirs(),
    concurrency: o.concurrency,
    leaseMs: o.leaseMs,
    pollMs: o.pollMs,
    log: o.log,
  });
  jobs.runner.start();
  return {
    jobs,
    stages,
    async close() {
      await jobs.runner.stop({ abort: true });
      db.$client.close();
    },
  };
}

// ── `tessera gc`: blob garbage collection on a data directory ──

/** The holders of blobs besides images (which the GC service asks itself), fresh per run. */
/** The comment index over the database's one writer gate. */
const commentIndexIn = (db: Db) => gated(serialOf(db), sqliteCommentIndex(db));

const blobReferencesIn = (db: Db) => () => [
  sqliteJobBlobReferences(db),
  releaseBlobReferences(gated(serialOf(db), sqliteReleases(db))),
  runBlobReferences(gated(serialOf(db), sqliteRuns(db))),
];

/** Deletes the blobs of a data directory that nothing refers to and that are older than `graceMs`. */
export async function runBlobGc(o: { dataDir: string; graceMs: number; dryRun: boolean }): Promise<GcReport> {
  const config = loadConfig({ dataDir: o.dataDir }, {});
  if (!existsSync(dbFile(config))) throw new Error(`no Tessera database in ${config.dataDir}`);
  const db = openDb({ file: dbFile(config) });
  try {
    const services: ServiceDeps = {
      data: sqliteDataStore(db),
      blobs: fsBlobStore(blobDir(config)),
      docs: logDocReader(sqliteUpdateStore(db)),
      classUsage: () => 0,
      accessChanged: () => {},
      limits: { maxImageBytes: config.maxImageBytes },
      events: inProcessEventBus(),
      comments: commentIndexIn(db),
      blobReferences: blobReferencesIn(db),
    };
    return await collectBlobGarbage(services, null, { graceMs: o.graceMs, dryRun: o.dryRun });
  } finally {
    db.$client.close();
  }
}
