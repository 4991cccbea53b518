// Local-first in real Chromium: "Take my batch offline" on the grid, then with no network open an
// image never opened before, edit, reload, see the pending count, reconnect and have a second user
// see the work; two users editing the same image offline end with the union of their edits.
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { hasChromium, login, useApp } from './harness.ts';
import { apiGet, apiLogin, openNodeDoc } from './node-client.ts';

interface ImageRow { id: string; fileName: string; width: number; height: number; assignee: string | null }

async function drawBox(page: Page, fx: number, fy: number) {
  const c = (await page.locator('[data-testid=canvas-image]').boundingBox())!;
  await page.mouse.move(c.x + c.width * fx, c.y + c.height * fy);
  await page.mouse.down();
  await page.mouse.move(c.x + c.width * (fx + 0.05), c.y + c.height * (fy + 0.05));
  await page.mouse.move(c.x + c.width * (fx + 0.1), c.y + c.height * (fy + 0.1));
  await page.mouse.up();
}
const badge = (page: Page, status: string, pending: number) => page.waitForSelector(`[data-testid=sync-status][data-status=${status}][data-pending="${pending}"]`);

describe.skipIf(!hasChromium)('offline batches in Chromium', () => {
  const app = useApp();
  let batch: ImageRow[];

  beforeAll(async () => {
    const manager = await apiLogin(app.url, 'manager');
    const a2 = await apiLogin(app.url, 'annotator2');
    const all = await apiGet<{ items: ImageRow[] }>(app.url, manager.token, `/projects/${app.projectId}/images?limit=1000`);
    batch = all.items.filter((i) => i.assignee === a2.user.id);
  });

  it('takes the batch offline, edits an image never opened with no network, and syncs the union on reconnect', async () => {
    const a = await app.open();
    await login(a.page, app.url, 'annotator2');
    await a.page.click('[data-testid=project-card]');
    await a.page.waitForSelector('[data-testid=image-tile]');
    await a.page.click('[data-testid=batch-offline]');
    const done = await a.page.waitForSelector(`[data-testid=batch-progress][data-done="${batch.length}"][data-total="${batch.length}"]`, { timeout: 60_000 });
    expect(await done.textContent()).toContain(`${batch.length} of ${batch.length} images ready offline`);
    await a.page.waitForFunction(() => !!navigator.serviceWorker.controller);

    // No network: the grid still lists the batch, and an image never opened opens and takes edits.
    await a.context.setOffline(true);
    await a.page.reload();
    await a.page.waitForFunction((n) => document.querySelectorAll('[data-testid=image-tile]').length === n, batch.length);
    const image = batch[batch.length - 1]!;
    const url = `${app.url}/projects/${app.projectId}/images/${image.id}`;
    await a.page.goto(url);
    await a.page.waitForFunction(() => (document.querySelector('[data-testid=canvas-image]') as HTMLImageElement | null)?.naturalWidth);
    await badge(a.page, 'offline', 0);
    await drawBox(a.page, 0.1, 0.1);
    await badge(a.page, 'offline', 1);
    // Reload offline: the edit and the count of edits not yet on the server are still there.
    await a.page.reload();
    await a.page.waitForSelector('[data-testid=shape-row][data-kind=box]');
    await badge(a.page, 'offline', 1);

    // A reviewer opens the same image online, then loses the network too and edits it.
    const b = await app.open();
    await login(b.page, app.url, 'reviewer');
    await b.page.goto(url);
    await badge(b.page, 'online', 0);
    await b.context.setOffline(true);
    await badge(b.page, 'offline', 0);
    await b.page.keyboard.press('b');
    await drawBox(b.page, 0.6, 0.6);
    await badge(b.page, 'offline', 1);

    // Both reconnect: nothing pending, each sees both boxes, and so does the server.
    await a.context.setOffline(false);
    await b.context.setOffline(false);
    await badge(a.page, 'online', 0);
    await badge(b.page, 'online', 0);
    for (const p of [a.page, b.page]) await p.waitForFunction(() => document.querySelectorAll('[data-testid=shape-row]').length === 2);
    const server = await openNodeDoc(app.url, (await apiLogin(app.url, 'manager')).token, `ann:${image.id}`);
    try {
      const shapes = await server.waitForShapes((s) => s.length === 2);
      expect(new Set(shapes.map((s) => s.author)).size).toBe(2);
    } finally {
      server.close();
    }
    expect(a.errors).toEqual([]);
  });
});
