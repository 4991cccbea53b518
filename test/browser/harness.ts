// Browser-test harness: the real server in-process on port 0 (demo data, built client, production
// sync wiring) and Chromium through playwright-core with a fresh profile per context.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { startServer, type RunningServer } from '../../server/main.ts';
import { ensureClientBuilt } from '../../scripts/client-build.ts';

export const CHROMIUM = '/usr/bin/chromium';
export const hasChromium = existsSync(CHROMIUM);
export const DEMO_PASSWORD = 'tessera';

export interface App {
  server: RunningServer;
  url: string;
  dataDir: string;
  close(): Promise<void>;
}

export async function startApp(): Promise<App> {
  const clientDir = await ensureClientBuilt();
  const dataDir = mkdtempSync(join(tmpdir(), 'tessera-browser-'));
  const server = await startServer({ port: 0, dataDir, demo: true, clientDir, quiet: true });
  return {
    server,
    url: server.url,
    dataDir,
    async close() {
      await server.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** An app for one describe block: started before its tests, with the browsers they open, and all
 *  closed after them. It reads like an `App` (url, server, dataDir) once the block has started. */
export interface SuiteApp extends Omit<App, 'close'> {
  /** The demo project's id. */
  readonly projectId: string;
  /** A fresh Chromium profile, closed with the suite. */
  open(opts?: { viewport?: { width: number; height: number } }): Promise<Browser>;
  /** Every browser opened so far (e.g. to check none logged a page error). */
  readonly browsers: readonly Browser[];
}

export function useApp(opts: { viewport?: { width: number; height: number } } = {}): SuiteApp {
  let app: App | undefined;
  const browsers: Browser[] = [];
  const started = (): App => {
    if (!app) throw new Error('useApp: the app is read before the suite started (use it inside a hook or test)');
    return app;
  };
  beforeAll(async () => {
    app = await startApp();
  }, 120_000);
  afterAll(async () => {
    await Promise.all(browsers.splice(0).map((b) => b.close().catch(() => undefined)));
    await app?.close();
  });
  return {
    get server() { return started().server; },
    get url() { return started().url; },
    get dataDir() { return started().dataDir; },
    get projectId() { return started().server.demo!.projectId; },
    browsers,
    async open(o = {}) {
      const b = await launch({ viewport: o.viewport ?? opts.viewport });
      browsers.push(b);
      return b;
    },
  };
}

const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

export interface Browser {
  context: BrowserContext;
  page: Page;
  /** Console errors and uncaught exceptions of the page, in order (not the network failures below). */
  errors: string[];
  /**
   * Chromium's "Failed to load resource: net::ERR_…" console lines: a request that got no HTTP
   * answer (Chromium 150 logs one for every fetch that fails while the context is offline, even
   * when the page handles the failure). Kept apart, so "no console errors" means the app's own.
   */
  networkFailures: string[];
  close(): Promise<void>;
}

/** A fresh Chromium profile (its own cookies, IndexedDB and service worker). */
export async function launch(opts: { viewport?: { width: number; height: number } } = {}): Promise<Browser> {
  const profile = mkdtempSync(join(tmpdir(), 'tessera-chromium-'));
  const base = { executablePath: CHROMIUM, headless: true, args: ARGS, viewport: opts.viewport ?? { width: 1366, height: 820 } };
  let context: BrowserContext;
  try {
    context = await chromium.launchPersistentContext(profile, { ...base, permissions: ['local-network-access'] });
  } catch (e) {
    if (!/permission/i.test(String(e))) throw e;
    context = await chromium.launchPersistentContext(profile, base);
  }
  const page = context.pages()[0] ?? (await context.newPage());
  const errors: string[] = [];
  const networkFailures: string[] = [];
  page.on('pageerror', (e) => {
    errors.push(`uncaught: ${e.message}`);
    console.error('[page error]', e.message);
  });
  page.on('console', (m) => {
    if (m.type() !== 'error') return;
    const line = `${m.text()} (${m.location().url})`;
    (/net::ERR_/.test(m.text()) ? networkFailures : errors).push(line);
  });
  return {
    context,
    page,
    errors,
    networkFailures,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** Signs in through the form; the app then shows the user's home (their role's view of their one project). */
export async function loginToHome(page: Page, url: string, username: string, password = DEMO_PASSWORD): Promise<void> {
  await page.goto(`${url}/login`);
  await page.fill('input[name=username]', username);
  await page.fill('input[name=password]', password);
  await page.click('button[type=submit]');
  await page.waitForSelector('[data-testid=current-user]');
}

/** Signs in and goes on to the projects list (what most tests start from). */
export async function login(page: Page, url: string, username: string, password = DEMO_PASSWORD): Promise<void> {
  await loginToHome(page, url, username, password);
  if (new URL(page.url()).pathname !== '/') {
    await page.click('a.brand');
    await page.waitForURL((u) => u.pathname === '/');
  }
}
