// An in-memory app over a temp database for route tests (app.request, no sockets).
import { fsScratchDirs, fsStageFiles } from '../adapters/fs/stage-files.ts';
import { join } from 'node:path';
import { fsBlobStore } from '../adapters/fs/blob-store.ts';
import { sqliteDataStore } from '../adapters/sqlite/data-store.ts';
import { openDb, type Db } from '../adapters/sqlite/open.ts';
import { createApp } from '../app.ts';
import { loadConfig, type ConfigInput } from '../config.ts';
import { loginLimiterFromConfig } from '../http/login-limiter.ts';
import { audit } from '../services/audit.ts';
import type { ServiceDeps } from '../services/deps.ts';
import { createSyncCore } from '../sync/core.ts';
import { coreDocWriter } from '../sync/doc-writer.ts';
import { sqliteUpdateStore } from '../adapters/sqlite/update-store.ts';
import { sqliteClientIds } from '../adapters/sqlite/client-ids.ts';
import { inProcessEventBus } from '../adapters/memory/event-bus.ts';
import { sqliteJobQueue } from '../adapters/sqlite/job-queue.ts';
import { sqlitePipelineRuns } from '../adapters/sqlite/pipeline-runs.ts';
import { registerBuiltins } from '../jobs/builtins.ts';
import { stageRegistry } from '../jobs/registry.ts';
import { createJobSystem } from '../jobs/system.ts';
import { serveClient } from '../adapters/fs/client-files.ts';
import { tempDir } from './fixtures.ts';
import { noServices } from './jobs.ts';
import { gated } from '../adapters/serial.ts';
import { serialOf } from '../adapters/sqlite/open.ts';
import { sqliteReleases } from '../adapters/sqlite/releases.ts';
import { sqliteRuns } from '../adapters/sqlite/runs.ts';
import { sqliteCommentIndex } from '../adapters/sqlite/comment-index.ts';
import type { ReleaseDeps } from '../services/releases.ts';
import { releaseCaches } from '../services/release-manifests.ts';
import { memoryRevisions } from './revisions.ts';
import { releaseStage, RELEASE_STAGE_URL } from '../jobs/stages/release.ts';
import { fileURLToPath } from 'node:url';

/** Service dependencies over a test database (no sockets: documents written through a sync core of their own). */
export function testServices(db: Db, blobDir: string, overrides: Partial<ServiceDeps> = {}): ServiceDeps {
  return {
    data: sqliteDataStore(db),
    blobs: fsBlobStore(blobDir),
    docs: coreDocWriter(createSyncCore({ store: sqliteUpdateStore(db), clientIds: sqliteClientIds(db), log: () => {} })),
    classUsage: () => 0,
    accessChanged: () => {},
    limits: { maxImageBytes: 50 * 1024 * 1024 },
    events: inProcessEventBus(),
    comments: gated(serialOf(db), sqliteCommentIndex(db)),
    ...overrides,
  };
}

export function testApp(input: ConfigInput = {}, overrides: Partial<ServiceDeps> = {}) {
  const t = tempDir();
  const config = loadConfig({ dataDir: t.dir, clientDir: null, ...input }, {});
  const db = openDb({ file: join(t.dir, 'tessera.db') });
  const services = testServices(db, join(t.dir, 'blobs'), { limits: { maxImageBytes: config.maxImageBytes }, ...overrides });
  const loginLimiter = loginLimiterFromConfig(config, (e) => void audit(services.data, e));
  // The job system with the built-in stages; its runner is not started (tests that run jobs start it).
  const stages = stageRegistry(fsStageFiles());
  registerBuiltins(stages, { files: fsStageFiles(), import: { privateDirs: [t.dir] } });
  // Releases over the test database; approvals from an in-memory source tests can fill.
  const revisions = memoryRevisions();
  const releases: ReleaseDeps = { data: services.data, blobs: services.blobs, releases: gated(serialOf(db), sqliteReleases(db)), revisions, events: services.events, caches: releaseCaches() };
  stages.add(releaseStage(releases), fileURLToPath(RELEASE_STAGE_URL), 'builtin');
  const jobs = createJobSystem({
    queue: sqliteJobQueue(db),
    runs: sqlitePipelineRuns(db),
    stages,
    events: services.events,
    resources: () => ({ blobs: null as never, services: noServices }),
    scratch: fsScratchDirs(),
    log: () => {},
  });
  const runs = gated(serialOf(db), sqliteRuns(db));
  const app = createApp({ services, config, loginLimiter, jobs, releases, runs, client: config.clientDir ? serveClient(config.clientDir) : undefined });
  return {
    app,
    releases,
    runs,
    revisions,
    db,
    services,
    config,
    jobs,
    events: services.events,
    async stopJobs() {
      await jobs.runner.stop({ abort: true });
    },
    cleanup() {
      loginLimiter.close();
      db.$client.close();
      t.cleanup();
    },
  };
}

export const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });
export const jsonHeaders = (token?: string) => ({ 'content-type': 'application/json', ...(token ? bearer(token) : {}) });
