// The service worker's cached API reads and image blobs belong to whoever was signed in: in real
// Chromium they are gone after "Sign out", and when someone else signs in on the same browser
// after the first user's session ended elsewhere ("sign out everywhere" from another device).
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { hasChromium, login, useApp, type Browser } from './harness.ts';
import { apiLogin } from './node-client.ts';

const API_CACHE = 'tessera-api-v1';
const BLOB_CACHE = 'tessera-blobs-v1';
const MARKER_API = '/api/projects/marker-left-by-the-last-user';
const MARKER_BLOB = `/api/blobs/${'f'.repeat(64)}`;

/** Cached request paths per cache, read inside the page. */
const cached = (page: Page) =>
  page.evaluate(async ([api, blob]) => {
    const paths = async (name: string) => ((await caches.has(name)) ? (await (await caches.open(name)).keys()).map((r) => new URL(r.url).pathname) : []);
    return { api: await paths(api), blobs: await paths(blob) };
  }, [API_CACHE, BLOB_CACHE] as const);

/** Opens the project grid as a signed-in user until the worker has cached reads and thumbnails. */
async function fillCaches(page: Page, url: string) {
  await page.goto(url);
  await page.waitForFunction(() => !!navigator.serviceWorker.controller);
  await page.click('[data-testid=project-card]');
  await page.waitForSelector('[data-testid=image-tile] img');
  await page.waitForFunction(
    async ([api, blob]) => (await (await caches.open(api)).keys()).length > 0 && (await (await caches.open(blob)).keys()).length > 0,
    [API_CACHE, BLOB_CACHE] as const,
  );
  // Entries no page of the next user would fetch again, so that only clearing removes them.
  await page.evaluate(
    async ([api, blob, mApi, mBlob]) => {
      await (await caches.open(api)).put(mApi, new Response('{"items":[]}', { headers: { 'content-type': 'application/json' } }));
      await (await caches.open(blob)).put(mBlob, new Response(new Uint8Array([1, 2, 3])));
    },
    [API_CACHE, BLOB_CACHE, MARKER_API, MARKER_BLOB] as const,
  );
  const before = await cached(page);
  expect(before.api).toContain(MARKER_API);
  expect(before.blobs).toContain(MARKER_BLOB);
  expect(before.blobs.length).toBeGreaterThan(1);
}

/** Waits until nothing the previous user left is cached (the worker clears in the background). */
const clearedOfMarkers = (page: Page) =>
  page.waitForFunction(
    async ([api, blob, mApi, mBlob]) => !(await (await caches.open(api)).match(mApi)) && !(await (await caches.open(blob)).match(mBlob)),
    [API_CACHE, BLOB_CACHE, MARKER_API, MARKER_BLOB] as const,
    { timeout: 10_000 },
  );

describe.skipIf(!hasChromium)('service worker caches follow who is signed in', () => {
  const app = useApp();
  let b: Browser;
  beforeAll(async () => {
    b = await app.open();
  });

  it('drops cached API reads and blobs on sign-out', async () => {
    await login(b.page, app.url, 'annotator1');
    await fillCaches(b.page, app.url);
    await b.page.getByRole('button', { name: 'Sign out', exact: true }).click();
    await b.page.waitForURL(/\/login$/);
    await clearedOfMarkers(b.page);
    const after = await cached(b.page);
    expect(after.blobs).toEqual([]);
    // Only what the sign-in page itself read since (who is signed in: nobody) may be there.
    expect(after.api.filter((p) => p !== '/api/auth/session')).toEqual([]);
  });

  it('drops the previous user\'s cached reads and blobs when another user signs in', async () => {
    await login(b.page, app.url, 'annotator1');
    await fillCaches(b.page, app.url);
    // annotator1 signs out everywhere from another device: this browser's cookie is dead, its caches are not.
    const elsewhere = await apiLogin(app.url, 'annotator1');
    const res = await fetch(`${app.url}/api/auth/logout-everywhere`, { method: 'POST', headers: { authorization: `Bearer ${elsewhere.token}` } });
    expect(res.status).toBe(200);
    expect((await cached(b.page)).blobs).toContain(MARKER_BLOB);

    await login(b.page, app.url, 'reviewer');
    await clearedOfMarkers(b.page);
    const session = await b.page.evaluate(async (api) => {
      const hit = await (await caches.open(api)).match('/api/auth/session');
      return hit ? ((await hit.json()) as { user: { username: string } | null }).user?.username ?? null : 'absent';
    }, API_CACHE);
    expect(['reviewer', 'absent']).toContain(session);
  });
});
