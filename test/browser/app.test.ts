// The web app in real Chromium against the real server (demo data, production sync wiring):
// sign-in errors, an annotator's grid and drawing a box that reaches the server and a reviewer
// live, read-only mode for engineers, and reloading the annotate page with the server down.
// With SCREENSHOTS=1 it also saves the grid with who is on which image to docs/screenshots/.
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { hasChromium, launch, login, useApp } from './harness.ts';
import { apiGet, apiLogin, openNodeDoc } from './node-client.ts';

const OUT = new URL('../../docs/screenshots/', import.meta.url).pathname;
const shoot = process.env.SCREENSHOTS === '1';

/** Names the reason when the suite is skipped. */
const suite = (name: string) => (hasChromium ? name : `${name} — skipped: /usr/bin/chromium is not installed`);

interface ImageRow { id: string; fileName: string; assignee: string | null }

describe.skipIf(!hasChromium)(suite('web app in Chromium'), () => {
  const app = useApp();
  let annotatorImages: ImageRow[];
  let otherImages: ImageRow[];

  beforeAll(async () => {
    const manager = await apiLogin(app.url, 'manager');
    const a1 = await apiLogin(app.url, 'annotator1');
    const all = await apiGet<{ items: ImageRow[] }>(app.url, manager.token, `/projects/${app.projectId}/images?limit=1000`);
    annotatorImages = all.items.filter((i) => i.assignee === a1.user.id);
    otherImages = all.items.filter((i) => i.assignee !== a1.user.id);
  });

  it('shows the server message for a wrong password', async () => {
    const { page } = await app.open();
    await page.goto(`${app.url}/`);
    await page.waitForSelector('[data-testid=login-form]');
    await page.fill('input[name=username]', 'annotator1');
    await page.fill('input[name=password]', 'not-the-password');
    await page.click('button[type=submit]');
    const error = await page.waitForSelector('[data-testid=error]');
    expect(await error.textContent()).toMatch(/wrong username or password/i);
    expect(page.url()).toMatch(/\/login$/);
  });

  it('manager: the grid shows who is on which image, live, in their presence colour', async () => {
    const { page } = await app.open();
    await login(page, app.url, 'manager');
    await page.click('[data-testid=project-card]');
    await page.waitForSelector('[data-testid=image-tile]');
    const shown = await page.locator('[data-testid=image-tile]').evaluateAll((els) => els.map((e) => e.getAttribute('title')));
    const img = annotatorImages.find((i) => shown.includes(i.fileName))!;
    expect(img).toBeDefined();
    const tile = `[data-testid=image-tile][title="${img.fileName}"]`;
    expect(await page.locator(`${tile} [data-testid=tile-presence-user]`).count()).toBe(0);
    const a1 = await apiLogin(app.url, 'annotator1');
    const node = await openNodeDoc(app.url, a1.token, `ann:${img.id}`);
    const avatar = await page.waitForSelector(`${tile} [data-testid=tile-presence-user][data-user=annotator1]`);
    expect(await avatar.getAttribute('data-color')).toMatch(/^#[0-9a-f]{6}$/);
    if (shoot) {
      // A reviewer joins annotator1, and annotator2 is on an image of their own.
      const a2 = await apiLogin(app.url, 'annotator2');
      const other = otherImages.find((i) => i.assignee === a2.user.id && shown.includes(i.fileName))!;
      const reviewer = await openNodeDoc(app.url, (await apiLogin(app.url, 'reviewer')).token, `ann:${img.id}`);
      const second = await openNodeDoc(app.url, a2.token, `ann:${other.id}`);
      await page.waitForSelector(`${tile} [data-testid=tile-presence-user][data-user=reviewer]`);
      await page.waitForSelector(`[data-testid=image-tile][title="${other.fileName}"] [data-testid=tile-presence-user][data-user=annotator2]`);
      await page.screenshot({ path: `${OUT}grid-presence.png`, fullPage: true });
      reviewer.close();
      second.close();
    }
    node.close();
    await page.waitForSelector(`${tile} [data-testid=tile-presence-user]`, { state: 'detached' });
  });

  it('annotator: grid shows only assigned images; a drawn box reaches the server and a reviewer live; reload works offline', async () => {
    expect(annotatorImages.length).toBeGreaterThan(0);
    const annotator = await app.open();
    const { page } = annotator;
    await login(page, app.url, 'annotator1');
    await page.click('[data-testid=project-card]');
    await page.waitForSelector('[data-testid=image-tile]');
    await page.waitForFunction((n) => document.querySelectorAll('[data-testid=image-tile]').length === n, annotatorImages.length);
    const names = await page.locator('[data-testid=image-tile] .tile-name').allTextContents();
    expect(names.sort()).toEqual(annotatorImages.map((i) => i.fileName).sort());
    expect(names.some((n) => otherImages.some((o) => o.fileName === n))).toBe(false);
    expect(new Set(await page.locator('[data-testid=tile-assignee]').allTextContents())).toEqual(new Set(['you']));

    const image = annotatorImages.find((i) => i.fileName === names[0])!;
    await page.click(`[data-testid=image-tile][title="${image.fileName}"]`);
    await page.waitForSelector('[data-testid=canvas-image]');
    await page.waitForSelector('[data-testid=sync-status][data-status=online]');
    expect(await page.locator('[data-testid=tool-box]').count()).toBe(1);

    // The reviewer opens the same image in another browser and sees the annotator arrive.
    const reviewer = await app.open();
    await login(reviewer.page, app.url, 'reviewer');
    await reviewer.page.goto(`${app.url}/projects/${app.projectId}/images/${image.id}`);
    await reviewer.page.waitForSelector('[data-testid=sync-status][data-status=online]');
    await reviewer.page.waitForSelector('[data-testid=presence-user]');

    // Draw a box by dragging with the Box tool (B).
    await page.keyboard.press('b');
    const c = (await page.locator('[data-testid=canvas]').boundingBox())!;
    await page.mouse.move(c.x + c.width * 0.3, c.y + c.height * 0.3);
    await page.mouse.down();
    await page.mouse.move(c.x + c.width * 0.4, c.y + c.height * 0.4);
    await page.mouse.move(c.x + c.width * 0.5, c.y + c.height * 0.55);
    await page.mouse.up();
    await page.waitForSelector('[data-testid=shape-row][data-kind=box]');

    // The server's document holds it (read by a Node sync client with a reviewer token).
    const token = (await apiLogin(app.url, 'reviewer')).token;
    const nodeDoc = await openNodeDoc(app.url, token, `ann:${image.id}`);
    try {
      const shapes = await nodeDoc.waitForShapes((s) => s.length === 1);
      expect(shapes[0].kind).toBe('box');
      const [, , w, h] = shapes[0].points;
      expect(w).toBeGreaterThan(10);
      expect(h).toBeGreaterThan(10);
    } finally {
      nodeDoc.close();
    }
    // ... and the reviewer sees it live.
    await reviewer.page.waitForSelector('[data-testid=shape-row][data-kind=box]');

    // A polygon: click three points, close with Enter; then delete it with Del (live for the reviewer too).
    await page.keyboard.press('p');
    for (const [fx, fy] of [[0.6, 0.3], [0.75, 0.35], [0.7, 0.55]]) await page.mouse.click(c.x + c.width * fx, c.y + c.height * fy);
    await page.keyboard.press('Enter');
    await reviewer.page.waitForSelector('[data-testid=shape-row][data-kind=polygon]');
    await page.keyboard.press('Delete');
    await reviewer.page.waitForSelector('[data-testid=shape-row][data-kind=polygon]', { state: 'detached' });
    expect(await page.locator('[data-testid=shape-row]').count()).toBe(1);
    // A double-click on the last point closes a polygon too (without a duplicate vertex).
    await page.mouse.click(c.x + c.width * 0.6, c.y + c.height * 0.6);
    await page.mouse.click(c.x + c.width * 0.7, c.y + c.height * 0.62);
    await page.mouse.dblclick(c.x + c.width * 0.65, c.y + c.height * 0.75);
    const polygon = await reviewer.page.waitForSelector('[data-testid=shape-row][data-kind=polygon]');
    expect(JSON.parse((await polygon.getAttribute('data-points'))!)).toHaveLength(6);
    await page.keyboard.press('Delete');
    await reviewer.page.waitForSelector('[data-testid=shape-row][data-kind=polygon]', { state: 'detached' });

    // Reload with the server down: the app shell, the image and the shape come from this device.
    await page.waitForFunction(async () => {
      if (!navigator.serviceWorker.controller) return false;
      const keys = await caches.keys();
      for (const k of keys) {
        const c = await caches.open(k);
        if ((await c.keys()).some((r) => r.url.includes('/api/blobs/'))) return true;
      }
      return false;
    });
    await app.server.close();
    await page.reload();
    await page.waitForSelector('[data-testid=canvas-image]');
    await page.waitForFunction(() => (document.querySelector('[data-testid=canvas-image]') as HTMLImageElement).naturalWidth > 0);
    await page.waitForSelector('[data-testid=shape-row][data-kind=box]');
    await page.waitForSelector('[data-testid=sync-status][data-status=offline]');
  });
});

describe.skipIf(!hasChromium)(suite('roles in Chromium'), () => {
  const app = useApp();

  it('engineer sees no drawing tools on an image and can step to the next one', async () => {
    const { page } = await app.open();
    await login(page, app.url, 'engineer');
    await page.click('[data-testid=project-card]');
    await page.click('[data-testid=image-tile]');
    await page.waitForSelector('[data-testid=annotate][data-readonly=true]');
    await page.waitForSelector('[data-testid=readonly-badge]');
    expect(await page.locator('[data-testid=tool-select]').count()).toBe(1);
    expect(await page.locator('[data-testid=tool-box]').count()).toBe(0);
    expect(await page.locator('[data-testid=tool-polygon]').count()).toBe(0);
    expect(await page.locator('[data-testid=class-option]').count()).toBe(0);

    // F steps to the next image of the grid.
    const first = await page.locator('[data-testid=image-name]').textContent();
    await page.keyboard.press('f');
    await page.waitForFunction((name) => {
      const el = document.querySelector('[data-testid=image-name]');
      return !!el && el.textContent !== name && el.textContent !== '…';
    }, first);
    await page.waitForSelector('[data-testid=annotate][data-readonly=true]');
  });

  it('annotator: when the image is reassigned, the open page says the server took access away', async () => {
    const b = await launch();
    try {
      const { page } = b;
      await login(page, app.url, 'annotator2');
      await page.click('[data-testid=project-card]');
      await page.click('[data-testid=image-tile]');
      await page.waitForSelector('[data-testid=sync-status][data-status=online]');
      const imageId = decodeURIComponent(page.url().split('/').pop()!);
      const boss = await apiLogin(app.url, 'manager');
      const me = await apiGet<{ memberships: { projectId: string }[] }>(app.url, boss.token, '/me');
      const other = await apiLogin(app.url, 'annotator1');
      const res = await fetch(`${app.url}/api/projects/${me.memberships[0].projectId}/images/assign`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${boss.token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ imageIds: [imageId], assignee: other.user.id }),
      });
      expect(res.status).toBe(200);
      const badge = await page.waitForSelector('[data-testid=sync-status][data-status=refused]');
      expect(await badge.textContent()).toBe('No access: no longer has access to this document');
    } finally {
      await b.close();
    }
  });

  it('manager: deleting a class in use shows the server message; role changes reach the audit log', async () => {
    const { page } = await app.open();
    page.on('dialog', (d) => void d.accept());
    await login(page, app.url, 'manager');
    await page.click('[data-testid=project-card]');
    await page.click('[data-testid=image-tile]');
    await page.waitForSelector('[data-testid=sync-status][data-status=online]');
    await page.keyboard.press('1');
    await page.keyboard.press('b');
    const c = (await page.locator('[data-testid=canvas]').boundingBox())!;
    await page.mouse.move(c.x + 200, c.y + 200);
    await page.mouse.down();
    await page.mouse.move(c.x + 260, c.y + 260);
    await page.mouse.up();
    await page.waitForSelector('[data-testid=shape-row][data-kind=box]');
    // Wait until the server holds the shape before asking it to delete the class.
    const imageId = decodeURIComponent(page.url().split('/').pop()!);
    const nodeDoc = await openNodeDoc(app.url, (await apiLogin(app.url, 'manager')).token, `ann:${imageId}`);
    try {
      await nodeDoc.waitForShapes((s) => s.length === 1);
    } finally {
      nodeDoc.close();
    }

    await page.goBack();
    await page.click('role=tab[name="Classes"]');
    const firstRow = page.locator('[data-testid=classes-table] tbody tr').first();
    await firstRow.locator('button', { hasText: 'Delete' }).click();
    const error = await page.waitForSelector('[data-testid=error]');
    // The demo's traced images use every class too.
    expect(await error.textContent()).toMatch(/is used by \d+ shapes?/);

    await page.click('role=tab[name="Members"]');
    await page.selectOption('select[aria-label="Role of qa"]', 'reviewer');
    await page.click('role=tab[name="Audit log"]');
    await page.waitForSelector('[data-testid=audit-table] td code:text("member.update")');

    // Upload from the grid: a new image appears, the same bytes again are reported as already there.
    await page.click('role=tab[name="Images"]');
    const before = await page.locator('[data-testid=image-tile]').count();
    const png = await sharp({ create: { width: 64, height: 48, channels: 3, background: '#3366cc' } }).png().toBuffer();
    await page.setInputFiles('[data-testid=upload-input]', { name: 'a-uploaded-from-browser.png', mimeType: 'image/png', buffer: png });
    await page.waitForSelector('[data-testid=upload-note]:text("1 added")');
    await page.waitForSelector('[data-testid=image-tile][title="a-uploaded-from-browser.png"]');
    expect(await page.locator('[data-testid=image-tile]').count()).toBeGreaterThanOrEqual(Math.min(before + 1, 24));
    // Progress per annotator; Shift-click selects a range, "select all" every shown tile; only
    // roles that can annotate are offered as assignees.
    await page.waitForSelector('[data-testid=progress-row][data-user=annotator1]');
    await page.click('[data-testid=tile-select] >> nth=1');
    await page.click('[data-testid=tile-select] >> nth=4', { modifiers: ['Shift'] });
    await page.waitForSelector('[data-testid=selected-count]:text("4 selected")');
    const offered = await page.locator('[data-testid=assign-to] option').allTextContents();
    expect(offered.some((o) => /engineer|\(qa\)/.test(o))).toBe(false);
    expect(offered.some((o) => /annotator1/.test(o))).toBe(true);
    await page.check('[data-testid=select-all]');
    const shown = await page.locator('[data-testid=image-tile]').count();
    await page.waitForSelector(`[data-testid=selected-count]:text("${shown} selected")`);
    await page.uncheck('[data-testid=select-all]');
    // Distribute work: select the new image and assign it to an annotator from the grid.
    await page.check('[aria-label="Select a-uploaded-from-browser.png"]');
    await page.selectOption('[data-testid=assign-to]', { label: 'annotator1 (annotator)' });
    const annTotal = async () => Number(await page.locator('[data-testid=progress-row][data-user=annotator1] td').last().textContent());
    const totalBefore = await annTotal();
    await page.click('[data-testid=assign]');
    await page.waitForSelector('[data-testid=image-tile][title="a-uploaded-from-browser.png"] [data-testid=tile-assignee]:text("annotator1")');
    // The server recounts: the summary shows one more image for annotator1 without a reload.
    await page.waitForFunction((n) => Number(document.querySelector('[data-testid=progress-row][data-user=annotator1] td:last-child')?.textContent) === n, totalBefore + 1);
    expect(await annTotal()).toBe(totalBefore + 1);
    await page.waitForSelector('[data-testid=assign-bar][data-active=false]');
    await page.setInputFiles('[data-testid=upload-input]', { name: 'again.png', mimeType: 'image/png', buffer: png });
    await page.waitForSelector('[data-testid=upload-note]:text("0 added, 1 already in the project")');
    await page.setInputFiles('[data-testid=upload-input]', { name: 'notes.png', mimeType: 'image/png', buffer: Buffer.from('not an image') });
    expect(await (await page.waitForSelector('[data-testid=error]')).textContent()).toContain('"notes.png" is not a JPEG, PNG or WebP image');

    // Names are text everywhere: a class named like markup shows as those characters and runs nothing.
    const evil = '<img src=x onerror="window.__pwned=1">';
    await page.click('role=tab[name="Classes"]');
    await page.fill('input[aria-label="Class name"]', evil);
    await page.click('button:text("Add class")');
    await page.waitForSelector(`[data-testid=classes-table] input[aria-label="Colour of ${evil.replace(/"/g, '\\"')}"]`);
    await page.click('role=tab[name="Images"]');
    await page.click('[data-testid=image-tile]');
    await page.getByText(evil, { exact: true }).first().waitFor();
    expect(await page.locator('img[src="x"]').count()).toBe(0);
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
  });

});
