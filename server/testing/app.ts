// An in-memory app over a temp database for route tests (app.request, no sockets).
import { createApp } from '../app.ts';
import type { AppDeps } from '../http/context.ts';
import { loadConfig, type ConfigInput } from '../config.ts';
import { loginLimiterFromConfig } from '../http/login-limiter.ts';
import { audit } from '../services/audit.ts';
import { fsBlobStore } from '../adapters/fs/blob-store.ts';
import { tempDir } from './fixtures.ts';
import { openDb } from '../adapters/sqlite/open.ts';
import { storeDocWriter } from '../services/doc-writer.ts';
import { sqliteUpdateStore } from '../adapters/sqlite/update-store.ts';
import { join } from 'node:path';

export function testApp(input: ConfigInput = {}, overrides: Partial<AppDeps> = {}) {
  const t = tempDir();
  const config = loadConfig({ dataDir: t.dir, clientDir: null, ...input }, {});
  const db = openDb({ file: join(t.dir, 'tessera.db') });
  const blobs = fsBlobStore(join(t.dir, 'blobs'));
  const deps: AppDeps = {
    db,
    blobs,
    config,
    loginLimiter: loginLimiterFromConfig(config, (e) => audit(db, e)),
    classUsage: () => 0,
    docs: storeDocWriter(sqliteUpdateStore(db)),
    accessChanged: () => {},
    ...overrides,
  };
  const app = createApp(deps);
  return {
    app,
    db,
    blobs,
    config,
    cleanup() {
      deps.loginLimiter.close();
      db.$client.close();
      t.cleanup();
    },
  };
}

export const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });
export const jsonHeaders = (token?: string) => ({ 'content-type': 'application/json', ...(token ? bearer(token) : {}) });
