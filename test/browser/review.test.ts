// Review in real Chromium, two browsers against the real server: the annotator submits, the
// reviewer's queue shows it without a reload, the reviewer comments on a shape (a pin appears on
// the annotator's canvas, live), requests changes (the annotator sees the reason), the annotator
// fixes and resubmits, the reviewer approves and the server holds one approved revision.
// With SCREENSHOTS=1 it also saves the queue, a pin with its thread and the statistics page to
// docs/screenshots/.
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { hasChromium, login, useApp } from './harness.ts';
import { openThread } from '../../shared/doc/comments.ts';
import { apiGet, apiLogin, openNodeDoc } from './node-client.ts';

interface ImageRow { id: string; fileName: string; width: number; height: number; assignee: string | null; status: string }
const OUT = new URL('../../docs/screenshots/', import.meta.url).pathname;
const shoot = process.env.SCREENSHOTS === '1';

async function drawBox(page: Page, fx: [number, number], fz: [number, number]) {
  const c = (await page.locator('[data-testid=canvas-image]').boundingBox())!;
  const at = (f: [number, number]) => ({ x: c.x + c.width * f[0], y: c.y + c.height * f[1] });
  await page.keyboard.press('b');
  await page.mouse.move(at(fx).x, at(fx).y);
  await page.mouse.down();
  await page.mouse.move(at(fz).x, at(fz).y, { steps: 4 });
  await page.mouse.up();
}

const openImage = async (page: Page, url: string) => {
  await page.goto(url);
  await page.waitForSelector('[data-testid=sync-status][data-status=online]');
  await page.waitForFunction(() => (document.querySelector('[data-testid=canvas-image]') as HTMLImageElement | null)?.complete);
};
const statusIs = (page: Page, status: string) => page.waitForSelector(`[data-testid=review-bar][data-status=${status}]`);

describe.skipIf(!hasChromium)('review in Chromium', () => {
  const app = useApp();
  let image: ImageRow;
  let untouched: ImageRow;
  let spare: ImageRow;
  beforeAll(async () => {
    const m = await apiLogin(app.url, 'manager');
    const a1 = await apiLogin(app.url, 'annotator1');
    const all = (await apiGet<{ items: ImageRow[] }>(app.url, m.token, `/projects/${app.projectId}/images?limit=1000`)).items;
    // The demo leaves annotator1's first image untouched.
    const fresh = all.filter((i) => i.assignee === a1.user.id && i.status === 'assigned').sort((a, b) => (a.fileName < b.fileName ? -1 : 1));
    image = fresh[0]!;
    untouched = fresh.at(-1)!;
    spare = fresh[1]!;
  }, 120_000);

  it('submit → live queue → pin → request changes → reason → fix and resubmit → approve', async () => {
    const annotator = await app.open();
    const reviewer = await app.open();
    await login(annotator.page, app.url, 'annotator1');
    await login(reviewer.page, app.url, 'reviewer');
    const imageUrl = `${app.url}/projects/${app.projectId}/images/${image.id}`;

    // The reviewer watches the queue; the annotator draws and submits.
    await reviewer.page.goto(`${app.url}/projects/${app.projectId}/review`);
    await reviewer.page.waitForSelector('[data-testid=queue-item]');
    expect(await reviewer.page.locator(`[data-testid=queue-item][data-image="${image.id}"]`).count()).toBe(0);
    await openImage(annotator.page, imageUrl);
    await drawBox(annotator.page, [0.2, 0.5], [0.45, 0.8]);
    await annotator.page.waitForSelector('[data-testid=shape-row]');
    await statusIs(annotator.page, 'in_progress');
    await annotator.page.click('[data-testid=review-submit]');
    await statusIs(annotator.page, 'submitted');
    await reviewer.page.waitForSelector(`[data-testid=queue-item][data-image="${image.id}"]`);
    if (shoot) await reviewer.page.screenshot({ path: `${OUT}review-queue.png` });

    // The reviewer opens it from the queue and comments on the shape: a pin appears for the annotator.
    await reviewer.page.click(`[data-testid=queue-item][data-image="${image.id}"] .queue-open`);
    await reviewer.page.waitForSelector('[data-testid=sync-status][data-status=online]');
    await reviewer.page.waitForSelector('[data-testid=shape-row]');
    await reviewer.page.click('[data-testid=shape-row]');
    await reviewer.page.fill('[data-testid=comments] textarea >> nth=-1', 'Is this the whole car?');
    await reviewer.page.click('[data-testid=comments] button[type=submit] >> nth=-1');
    const pin = await annotator.page.waitForSelector('[data-testid=comment-pin]');
    expect(await pin.textContent()).toBe('1');

    // Changes requested on that shape: the annotator sees the reason.
    await reviewer.page.click('[data-testid=review-request]');
    await reviewer.page.fill('[data-testid=review-reason-input]', 'The box misses the front of the car.');
    await reviewer.page.click('[data-testid=review-request-send]');
    await statusIs(reviewer.page, 'changes_requested');
    await statusIs(annotator.page, 'changes_requested');
    await annotator.page.waitForSelector('[data-testid=review-reason-text]:has-text("The box misses the front of the car.")');
    await annotator.page.click('[data-testid=comment-pin]');
    await annotator.page.waitForSelector('[data-testid=thread]:has-text("Is this the whole car?")');
    if (shoot) await annotator.page.screenshot({ path: `${OUT}review-pin-thread.png` });

    // The annotator fixes and resubmits; the reviewer is told it changed, looks, approves. The note
    // lies over the canvas: its coming and going never resizes the canvas.
    await drawBox(annotator.page, [0.05, 0.55], [0.18, 0.78]);
    await statusIs(annotator.page, 'in_progress');
    await annotator.page.click('[data-testid=review-submit]');
    await statusIs(reviewer.page, 'submitted');
    await reviewer.page.waitForSelector('[data-testid=review-changed]');
    await reviewer.page.waitForFunction(() => document.querySelectorAll('[data-testid=shape-row]').length === 2);
    const withNote = await reviewer.page.locator('[data-testid=canvas]').boundingBox();
    await reviewer.page.click('[data-testid=review-changed] button');
    await reviewer.page.waitForSelector('[data-testid=review-changed]', { state: 'detached' });
    expect(await reviewer.page.locator('[data-testid=canvas]').boundingBox()).toEqual(withNote);
    await reviewer.page.click('[data-testid=review-approve]');
    await statusIs(reviewer.page, 'approved');
    await statusIs(annotator.page, 'approved');
    const r = await apiLogin(app.url, 'reviewer');
    const revisions = await apiGet<{ items: { approvedBy: string }[] }>(app.url, r.token, `/projects/${app.projectId}/images/${image.id}/revisions`);
    expect(revisions.items).toEqual([expect.objectContaining({ approvedBy: r.user.id })]);
    expect([...annotator.errors, ...reviewer.errors].filter((e) => !/favicon/.test(e))).toEqual([]);

    if (shoot) {
      const manager = await app.open();
      await login(manager.page, app.url, 'manager');
      await manager.page.goto(`${app.url}/projects/${app.projectId}/stats`);
      await manager.page.waitForSelector('[data-testid=stats-annotators] tbody tr');
      await manager.page.screenshot({ path: `${OUT}review-stats.png`, fullPage: true });
    }
  }, 180_000);

  it('unread comments: a badge in My work and the grid, live; opening the image reads them', async () => {
    const annotator = await app.open();
    const reviewer = await app.open();
    await login(annotator.page, app.url, 'annotator1');
    await login(reviewer.page, app.url, 'reviewer');
    const item = `[data-testid=queue-item][data-image="${untouched.id}"]`;
    await annotator.page.goto(`${app.url}/projects/${app.projectId}/review`);
    await annotator.page.waitForSelector(item);
    expect(await annotator.page.locator(`${item} [data-testid=unread-badge]`).count()).toBe(0);
    // Status filter chips narrow the queue to one status and back.
    const shown = () => annotator.page.locator('[data-testid=queue-item]').evaluateAll((els) => els.map((e) => e.getAttribute('data-status')));
    const before = await shown();
    expect(new Set(before).size).toBeGreaterThan(1);
    await annotator.page.click('[data-testid=queue-filter][data-status=changes_requested]');
    await annotator.page.waitForFunction(() => [...document.querySelectorAll('[data-testid=queue-item]')].every((e) => e.getAttribute('data-status') === 'changes_requested'));
    expect((await shown()).length).toBe(before.filter((s) => s === 'changes_requested').length);
    await annotator.page.click('[data-testid=queue-filter][data-status=changes_requested]');
    await annotator.page.waitForFunction((n) => document.querySelectorAll('[data-testid=queue-item]').length === n, before.length);

    // The reviewer comments on the whole image, twice.
    await openImage(reviewer.page, `${app.url}/projects/${app.projectId}/images/${untouched.id}`);
    for (const text of ['Is the sky part of the scene?', 'And the road?']) {
      await reviewer.page.fill('[data-testid=comments] textarea >> nth=-1', text);
      await reviewer.page.click('[data-testid=comments] button[type=submit] >> nth=-1');
    }
    await annotator.page.waitForSelector(`${item} [data-testid=unread-badge][data-count="2"]`);
    await annotator.page.goto(`${app.url}/projects/${app.projectId}`);
    await annotator.page.waitForSelector('[data-testid=image-tile] [data-testid=unread-badge][data-count="2"]');
    if (shoot) await annotator.page.screenshot({ path: `${OUT}review-unread.png` });

    // Opening the image reads them; back in the queue the badge is gone.
    await annotator.page.goto(`${app.url}/projects/${app.projectId}/review`);
    const read = annotator.page.waitForResponse((r) => r.url().endsWith(`/images/${untouched.id}/comments/read`) && r.status() === 204);
    await annotator.page.click(`${item} .queue-open`);
    await read;
    await annotator.page.waitForSelector('[data-testid=thread]:has-text("And the road?")');
    await annotator.page.goBack();
    await annotator.page.waitForSelector(item);
    await annotator.page.waitForFunction((sel) => !document.querySelector(`${sel} [data-testid=unread-badge]`), item);
    // The reviewer, who wrote them, never had any unread.
    expect(await reviewer.page.evaluate(async (pid) => (await (await fetch(`/api/projects/${pid}/comments/unread`)).json()).unread, app.projectId)).toEqual({});
    expect([...annotator.errors, ...reviewer.errors].filter((e) => !/favicon/.test(e))).toEqual([]);
  }, 120_000);

  it('a thread on a point of the image has a pin on that point; clicking it shows the thread', async () => {
    const annotator = await app.open();
    await login(annotator.page, app.url, 'annotator1');
    const r = await apiLogin(app.url, 'reviewer');
    const cmt = await openNodeDoc(app.url, r.token, `cmt:${spare.id}`);
    const at = { x: Math.round(spare.width * 0.3), y: Math.round(spare.height * 0.4) };
    const threadId = openThread(cmt.doc, { anchor: at, text: 'Is there a sign here?' }, { author: r.user.id });
    await openImage(annotator.page, `${app.url}/projects/${app.projectId}/images/${spare.id}`);
    const pin = annotator.page.locator(`[data-testid=comment-pin][data-thread="${threadId}"]`);
    await pin.waitFor();
    // The pin's tail (its bottom-left corner) is on the point, wherever the view puts the image.
    const img = (await annotator.page.locator('[data-testid=canvas-image]').boundingBox())!;
    const p = (await pin.boundingBox())!;
    const want = { x: img.x + (at.x / spare.width) * img.width, y: img.y + (at.y / spare.height) * img.height };
    expect(Math.abs(p.x + 2 - want.x)).toBeLessThan(2);
    expect(Math.abs(p.y + 26 - want.y)).toBeLessThan(2);
    if (shoot) await annotator.page.screenshot({ path: `${OUT}review-point-pin.png` });
    await pin.click();
    await annotator.page.waitForSelector(`[data-testid=thread][data-thread="${threadId}"]:has-text("Is there a sign here?")`);
    cmt.close();
    expect(annotator.errors.filter((e) => !/favicon/.test(e))).toEqual([]);
  }, 60_000);
});
