// The annotate workspace in real Chromium against the real server: class keys while drawing set
// the next shape's class (relabel only in Select mode); every tool and vertex editing, undo/redo;
// undo never removes or reverts a collaborator's later change (B is a Node sync client); three
// people get three colours; deleting a shape with an open thread asks first and keeps the thread;
// signed-out start and an image never opened offline log no console errors.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { moveShape, readShapes, readTags } from '../../shared/doc/index.ts';
import { hasChromium, login, useApp } from './harness.ts';
import { apiGet, apiLogin, openNodeDoc, type NodeDoc } from './node-client.ts';

interface ImageRow { id: string; fileName: string; width: number; height: number; assignee: string | null }
interface Row { kind: string; n: number; label: string; points: number[] }

const rows = (page: Page): Promise<Row[]> =>
  page.$$eval('[data-testid=shape-row]', (els) =>
    els.map((e) => {
      const d = (e as HTMLElement).dataset;
      return { kind: d.kind!, n: Number(d.n), label: d.label!, points: JSON.parse(d.points!) as number[] };
    }),
  );

/** Screen position of image pixel (x, y) on the annotate canvas. */
async function mapper(page: Page, image: ImageRow) {
  const b = (await page.locator('[data-testid=canvas-image]').boundingBox())!;
  return (x: number, y: number) => ({ x: b.x + (x / image.width) * b.width, y: b.y + (y / image.height) * b.height });
}

async function dragBetween(page: Page, a: { x: number; y: number }, b: { x: number; y: number }) {
  await page.mouse.move(a.x, a.y);
  await page.mouse.down();
  await page.mouse.move((a.x + b.x) / 2, (a.y + b.y) / 2);
  await page.mouse.move(b.x, b.y);
  await page.mouse.up();
}

describe.skipIf(!hasChromium)('annotate workspace in Chromium', () => {
  const app = useApp();
  let mine: ImageRow[];
  let all: ImageRow[];
  const docs: NodeDoc[] = [];
  const openImage = async (page: Page, image: ImageRow) => {
    await page.goto(`${app.url}/projects/${app.projectId}/images/${image.id}`);
    await page.waitForSelector('[data-testid=sync-status][data-status=online]');
    await page.waitForFunction(() => (document.querySelector('[data-testid=canvas-image]') as HTMLImageElement | null)?.complete);
    return mapper(page, image);
  };
  const nodeDoc = async (user: string, image: ImageRow) => {
    const d = await openNodeDoc(app.url, (await apiLogin(app.url, user)).token, `ann:${image.id}`);
    docs.push(d);
    return d;
  };

  beforeAll(async () => {
    const manager = await apiLogin(app.url, 'manager');
    const a1 = await apiLogin(app.url, 'annotator1');
    all = (await apiGet<{ items: ImageRow[] }>(app.url, manager.token, `/projects/${app.projectId}/images?limit=1000`)).items;
    mine = all.filter((i) => i.assignee === a1.user.id);
  });
  afterAll(async () => {
    for (const d of docs) d.close();
  });

  it('signed-out start, then an image never opened while offline: says so, no console errors', async () => {
    const b = await app.open();
    await b.page.goto(`${app.url}/`);
    await b.page.waitForSelector('[data-testid=login-form]');
    expect(b.errors).toEqual([]);
    await login(b.page, app.url, 'annotator1');
    await b.page.click('[data-testid=project-card]');
    await b.page.waitForSelector('[data-testid=image-tile]');
    await b.page.waitForFunction(async () => !!navigator.serviceWorker.controller && !!(await caches.match('/api/auth/session')));
    // Thumbnails still loading when the network goes would fail (the test's doing, not the app's).
    await b.page.waitForFunction(() => [...document.querySelectorAll('[data-testid=image-tile] img')].every((i) => (i as HTMLImageElement).complete || i.getBoundingClientRect().top > innerHeight));
    await b.context.setOffline(true);
    await b.page.goto(`${app.url}/projects/${app.projectId}/images/${mine[mine.length - 1]!.id}`);
    const note = await b.page.waitForSelector('[data-testid=error]');
    expect(await note.textContent()).toMatch(/not available offline/);
    expect(b.errors).toEqual([]);
  });

  it('class keys while drawing set the next shape’s class; every tool, vertex edits, tags, undo and redo', async () => {
    const { page, errors } = await app.open();
    await login(page, app.url, 'annotator1');
    const image = mine[0]!;
    const at = await openImage(page, image);
    const W = image.width, H = image.height;

    // Drawing car, person, bicycle, dog, traffic light in a row gives exactly those classes.
    await page.keyboard.press('b');
    const names = ['car', 'person', 'bicycle', 'dog', 'traffic light'];
    for (let i = 0; i < 5; i++) {
      await page.keyboard.press(String(i + 1));
      await dragBetween(page, at(W * (0.05 + i * 0.09), H * 0.1), at(W * (0.12 + i * 0.09), H * 0.25));
    }
    expect((await rows(page)).map((r) => [r.n, r.label])).toEqual(names.map((n, i) => [i + 1, n]));
    // In Select mode a class key relabels the explicitly selected shape.
    await page.keyboard.press('v');
    await page.locator('[data-testid=shape-row][data-n="1"]').click();
    await page.keyboard.press('2');
    expect((await rows(page))[0]!.label).toBe('person');
    // Back in a drawing tool with that shape still selected, a class key relabels nothing.
    await page.keyboard.press('b');
    await page.keyboard.press('3');
    expect((await rows(page)).map((r) => r.label)).toEqual(['person', 'person', 'bicycle', 'dog', 'traffic light']);

    // Polygon closed by clicking its first point; polyline finished with Enter; a point; a tag.
    await page.keyboard.press('p');
    const poly = [at(W * 0.2, H * 0.5), at(W * 0.35, H * 0.5), at(W * 0.3, H * 0.7)];
    for (const p of poly) await page.mouse.click(p.x, p.y);
    await page.mouse.click(poly[0]!.x, poly[0]!.y);
    await page.keyboard.press('l');
    for (const [fx, fy] of [[0.5, 0.5], [0.6, 0.6], [0.7, 0.5]]) await page.mouse.click(at(W * fx!, H * fy!).x, at(W * fx!, H * fy!).y);
    await page.keyboard.press('Enter');
    await page.keyboard.press('o');
    await page.mouse.click(at(W * 0.8, H * 0.8).x, at(W * 0.8, H * 0.8).y);
    await page.keyboard.press('Shift+Digit4');
    await page.waitForSelector('[data-testid=tag][data-tag=dog][aria-pressed=true]');
    let r = await rows(page);
    expect(r.map((x) => x.kind)).toEqual(['box', 'box', 'box', 'box', 'box', 'polygon', 'polyline', 'point']);
    expect(r[5]!.points).toHaveLength(6);
    expect(r[6]!.points).toHaveLength(6);
    const drawn = r[5]!.points;

    // Vertex editing on the polygon: Alt-click an edge adds one, drag moves one, Del deletes the selected one.
    await page.keyboard.press('v');
    await page.locator('[data-testid=shape-row][data-kind=polygon]').click();
    const mid = { x: (poly[0]!.x + poly[1]!.x) / 2, y: poly[0]!.y };
    await page.keyboard.down('Alt');
    await page.mouse.click(mid.x, mid.y);
    await page.keyboard.up('Alt');
    expect((await rows(page))[5]!.points).toHaveLength(8);
    await dragBetween(page, poly[2]!, { x: poly[2]!.x + 30, y: poly[2]!.y + 20 });
    r = await rows(page);
    expect(r[5]!.points).toHaveLength(8);
    expect(r[5]!.points[7]).toBeGreaterThan(H * 0.7);
    await page.mouse.click(mid.x, mid.y);
    await page.keyboard.press('Delete');
    expect((await rows(page))[5]!.points).toHaveLength(6);
    // Undo walks back one action at a time (vertex delete, vertex move, vertex add), redo forward.
    await page.keyboard.press('Control+z');
    expect((await rows(page))[5]!.points).toHaveLength(8);
    await page.keyboard.press('Control+z');
    await page.keyboard.press('Control+z');
    expect((await rows(page))[5]!.points).toEqual(drawn);
    await page.keyboard.press('Control+y');
    expect((await rows(page))[5]!.points).toHaveLength(8);

    // The server holds all of it.
    const server = await nodeDoc('reviewer', image);
    const shapes = await server.waitForShapes((s) => s.length === 8 && s.some((x) => x.kind === 'polygon' && x.points.length === 8));
    expect(shapes.map((s) => s.kind).sort()).toEqual(['box', 'box', 'box', 'box', 'box', 'point', 'polygon', 'polyline']);
    expect(readTags(server.doc)).toHaveLength(1);
    expect(errors).toEqual([]);
  });

  it('undo never removes or reverts what a collaborator changed later', async () => {
    const { page, errors } = await app.open();
    await login(page, app.url, 'annotator1');
    const image = mine[1]!;
    const at = await openImage(page, image);
    const W = image.width, H = image.height;
    const b = await nodeDoc('reviewer', image);
    const note = () => page.locator('[data-testid=notice]').textContent();

    // 1. A draws a box, B moves it; A's Ctrl+Z refuses and deletes nothing.
    await page.keyboard.press('b');
    await dragBetween(page, at(W * 0.1, H * 0.1), at(W * 0.2, H * 0.2));
    const [x] = await b.waitForShapes((s) => s.length === 1);
    moveShape(b.doc, x!.id, [5, 5, 40, 40], { author: 'reviewer' });
    await page.waitForFunction(() => document.querySelector('[data-testid=shape-row]')?.getAttribute('data-points') === '[5,5,40,40]');
    await page.keyboard.press('Control+z');
    expect(await note()).toMatch(/Cannot undo drawing a box: someone else has changed it since/);
    expect(await page.locator('[data-testid=shape-row]').count()).toBe(1);

    // 2. A draws two boxes and moves the second; B moves it again; A's Ctrl+Z reverts nothing of
    //    B's and does not fall through to deleting A's older box.
    await dragBetween(page, at(W * 0.5, H * 0.1), at(W * 0.6, H * 0.2));
    await dragBetween(page, at(W * 0.5, H * 0.5), at(W * 0.6, H * 0.6));
    await page.keyboard.press('v');
    const c = at(W * 0.55, H * 0.55);
    await dragBetween(page, c, { x: c.x + 40, y: c.y + 10 });
    const moved = (await rows(page))[2]!.points;
    const seen = await b.waitForShapes((s) => s.length === 3 && s.some((q) => JSON.stringify(q.points) === JSON.stringify(moved)));
    const second = seen.find((q) => JSON.stringify(q.points) === JSON.stringify(moved))!;
    moveShape(b.doc, second.id, [300, 300, 30, 30], { author: 'reviewer' });
    await page.waitForFunction(() => [...document.querySelectorAll('[data-testid=shape-row]')].some((e) => e.getAttribute('data-points') === '[300,300,30,30]'));
    await page.keyboard.press('Control+z');
    expect(await note()).toMatch(/Cannot undo moving a box/);
    expect((await rows(page)).map((q) => q.points.length)).toEqual([4, 4, 4]);
    expect((await rows(page))[2]!.points).toEqual([300, 300, 30, 30]);

    // 3. Three boxes drawn in quick succession take three undos, one each.
    await page.keyboard.press('b');
    for (let i = 0; i < 3; i++) await dragBetween(page, at(W * (0.1 + i * 0.1), H * 0.7), at(W * (0.15 + i * 0.1), H * 0.8));
    expect(await page.locator('[data-testid=shape-row]').count()).toBe(6);
    await page.keyboard.press('Control+z');
    expect(await page.locator('[data-testid=shape-row]').count()).toBe(5);

    // The server agrees: B's two moves stand, nothing else of the first three boxes changed.
    const final = await b.waitForShapes((s) => s.length === 5);
    expect(final.some((q) => JSON.stringify(q.points) === '[5,5,40,40]')).toBe(true);
    expect(final.some((q) => JSON.stringify(q.points) === '[300,300,30,30]')).toBe(true);
    expect(readShapes(b.doc).shapes).toHaveLength(5);
    expect(errors).toEqual([]);
  });

  it('three people on one image get three distinct colours', async () => {
    const { page } = await app.open();
    await login(page, app.url, 'manager');
    const image = all[all.length - 1]!;
    await openImage(page, image);
    for (const [user, x] of [['reviewer', 40], ['engineer', 80]] as const) {
      const d = await nodeDoc(user, image);
      const id = (await apiLogin(app.url, user)).user.id;
      // The claimed colour is ignored for known people: everyone computes the same one from the id.
      d.awareness.setLocalState({ user: { id, name: user, color: 'hsl(10, 70%, 45%)' }, cursor: { x, y: 40 } });
    }
    await page.waitForFunction(() => document.querySelectorAll('[data-testid=peer-cursor]').length === 2);
    const colors = [
      await page.locator('[data-testid=presence-me]').getAttribute('data-color'),
      ...(await page.locator('[data-testid=peer-cursor]').evaluateAll((els) => els.map((e) => e.getAttribute('data-color')))),
    ];
    expect(new Set(colors).size).toBe(3);
    for (const c of colors) expect(c).toMatch(/^#[0-9a-f]{6}$/);
    expect(colors).not.toContain('#888888');
  });

  it('deleting a shape with an open thread asks first; the thread stays on the image', async () => {
    const { page, errors } = await app.open();
    await login(page, app.url, 'manager');
    const image = all[all.length - 2]!;
    const at = await openImage(page, image);
    await page.keyboard.press('b');
    await dragBetween(page, at(image.width * 0.3, image.height * 0.3), at(image.width * 0.5, image.height * 0.5));
    await page.fill('.comments textarea', 'Is this a van?');
    await page.click('.comments button[type=submit]');
    await page.waitForSelector('[data-testid=thread]');
    const dialogs: string[] = [];
    page.once('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    await page.keyboard.press('Delete');
    expect(dialogs[0]).toMatch(/box #1 has 1 open comment thread/);
    expect(await page.locator('[data-testid=shape-row]').count()).toBe(1);
    page.once('dialog', (d) => void d.accept());
    await page.keyboard.press('Delete');
    await page.waitForSelector('[data-testid=shape-row]', { state: 'detached' });
    const orphan = await page.waitForSelector('[data-testid=thread][data-orphan=true]');
    expect(await orphan.textContent()).toContain('Is this a van?');
    expect(errors).toEqual([]);
  });
});
