// The shapes layer on a dense image in real Chromium: selecting a shape, dragging it, a
// collaborator's edit and deselecting each redraw only the region they touch (data-redraw on the
// layer), and the layer then holds the pixels a full redraw of the same shapes gives; a resize of
// the canvas keeps a view the user zoomed to.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addShape, moveShape } from '../../shared/doc/index.ts';
import { hasChromium, launch, login, startApp, type App, type Browser } from './harness.ts';
import { apiGet, apiLogin, openNodeDoc, type NodeDoc } from './node-client.ts';

const SHAPES = 600;
const SEED = 1234;

/** Resolves after the page has rendered two more frames. */
const frames = (page: Page) => page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
const redraw = (page: Page) => page.getAttribute('[data-testid=shapes-layer]', 'data-redraw');
/** Runs `act` and resolves once a full redraw of the shapes layer (sliced, so over several frames) has finished after it. */
const fullRedrawAfter = async (page: Page, act: () => Promise<void>) => {
  const before = Number(await page.getAttribute('[data-testid=shapes-layer]', 'data-rasters'));
  await act();
  await page.waitForFunction((n) => Number(document.querySelector('[data-testid=shapes-layer]')?.getAttribute('data-rasters')) > n, before);
};

/** Keeps the shapes layer's pixels in the page under `name`. */
const capture = (page: Page, name: string) =>
  page.evaluate((n) => {
    const c = document.querySelector('[data-testid=shapes-layer]') as HTMLCanvasElement;
    (window as unknown as Record<string, Uint8ClampedArray>)[n] = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
  }, name);

/**
 * How many pixels differ between two captures by more than `tol` (0–255) in a premultiplied
 * channel, the largest difference, how many pixels are painted, and the box around the differing ones.
 */
const compare = (page: Page, a: string, b: string, tol: number) =>
  page.evaluate(
    ([a, b, tol]) => {
      const w = window as unknown as Record<string, Uint8ClampedArray>;
      const x = w[a as string]!, y = w[b as string]!;
      const width = (document.querySelector('[data-testid=shapes-layer]') as HTMLCanvasElement).width;
      let differing = 0, max = 0, painted = 0;
      const box = [Infinity, Infinity, -Infinity, -Infinity];
      for (let i = 0; i < x.length; i += 4) {
        const ax = x[i + 3]!, ay = y[i + 3]!;
        let d = Math.abs(ax - ay);
        for (let k = 0; k < 3; k++) d = Math.max(d, Math.abs((x[i + k]! * ax - y[i + k]! * ay) / 255));
        if (ax) painted++;
        if (d > max) max = d;
        if (d <= (tol as number)) continue;
        differing++;
        const px = (i / 4) % width, py = Math.floor(i / 4 / width);
        box[0] = Math.min(box[0]!, px), box[1] = Math.min(box[1]!, py), box[2] = Math.max(box[2]!, px), box[3] = Math.max(box[3]!, py);
      }
      return { differing, max: Math.round(max), painted, box };
    },
    [a, b, tol] as const,
  );

describe.skipIf(!hasChromium)('shapes layer in Chromium', () => {
  let app: App;
  let browser: Browser;
  let writer: NodeDoc;
  let url: string;
  let image: { id: string; width: number; height: number };

  beforeAll(async () => {
    app = await startApp();
    const manager = await apiLogin(app.url, 'manager');
    const projectId = app.server.demo!.projectId;
    image = (await apiGet<{ items: (typeof image)[] }>(app.url, manager.token, `/projects/${projectId}/images?limit=1`)).items[0]!;
    const classes = (await apiGet<{ items: { id: string }[] }>(app.url, manager.token, `/projects/${projectId}/classes`)).items;
    writer = await openNodeDoc(app.url, manager.token, `ann:${image.id}`);
    let state = SEED;
    const rnd = () => ((state = (state * 1103515245 + 12345) >>> 0) / 2 ** 32);
    const { width: W, height: H } = image;
    writer.doc.transact(() => {
      for (let i = 0; i < SHAPES - 1; i++) {
        const label = classes[i % classes.length]!.id;
        const x = rnd() * (W - 60), y = rnd() * (H - 60), w = 8 + rnd() * 50, h = 8 + rnd() * 50;
        const id = `s${String(i).padStart(4, '0')}`;
        if (i % 5 === 4) addShape(writer.doc, { id, kind: 'polygon', label, points: [x, y, x + w, y + h * 0.3, x + w * 0.6, y + h, x, y + h * 0.8] }, { author: 'test', now: 1_000 + i });
        else if (i % 11 === 10) addShape(writer.doc, { id, kind: 'point', label, points: [x, y] }, { author: 'test', now: 1_000 + i });
        else addShape(writer.doc, { id, kind: 'box', label, points: [x, y, w, h] }, { author: 'test', now: 1_000 + i });
      }
      addShape(writer.doc, { id: 'target', kind: 'box', label: classes[0]!.id, points: [W * 0.45, H * 0.45, W * 0.08, H * 0.08] }, { author: 'test', now: 10_000 });
    });
    browser = await launch({ viewport: { width: 1200, height: 800 } });
    await login(browser.page, app.url, 'manager');
    url = `${app.url}/projects/${projectId}/images/${image.id}`;
  });

  afterAll(async () => {
    writer?.close();
    await browser?.close();
    await app?.close();
  });

  it(`redraws regions for select, move, a collaborator's edit and deselect, with a full redraw's pixels (seed ${SEED})`, async () => {
    const { page } = browser;
    await page.goto(url);
    await page.waitForSelector(`[data-testid=shapes-layer][data-drawn="${SHAPES}"]`);
    await page.click('[data-testid=tool-select]');
    // A first edit by someone else may bring up a note above the canvas (the review bar's "changed
    // since you opened it"), which resizes the canvas: let that happen before looking closer.
    await writer.waitForShapes((s) => s.some((x) => x.id === 's0001'));
    moveShape(writer.doc, 's0001', [30, 60, 20, 20], { author: 'test' });
    await page.waitForFunction(() => [...document.querySelectorAll('[data-testid=shape-row]')].some((r) => r.getAttribute('data-points') === '[30,60,20,20]'));
    await frames(page);
    await frames(page);
    const b = (await page.locator('[data-testid=canvas-image]').boundingBox())!;
    const at = (x: number, y: number) => ({ x: b.x + (x / image.width) * b.width, y: b.y + (y / image.height) * b.height });
    const t = at(image.width * 0.49, image.height * 0.49);

    // Select the target (it leaves the layer for the overlay), then drag it.
    await page.mouse.click(t.x, t.y);
    await page.waitForSelector('[data-testid=shape-row][aria-selected=true]');
    await frames(page);
    expect(await redraw(page)).toBe('region');
    await page.mouse.move(t.x, t.y);
    await page.mouse.down();
    for (let i = 1; i <= 5; i++) await page.mouse.move(t.x + i * 6, t.y + i * 4);
    await page.mouse.up();
    const orig = JSON.stringify([image.width * 0.45, image.height * 0.45, image.width * 0.08, image.height * 0.08]);
    await page.waitForFunction((o) => {
      const p = document.querySelector('[data-testid=shape-row][aria-selected=true]')?.getAttribute('data-points');
      return !!p && p !== o;
    }, orig);
    await frames(page);
    expect(await redraw(page)).toBe('region');

    // A collaborator moves a shape that is drawn on the layer.
    await writer.waitForShapes((s) => s.some((x) => x.id === 's0003'));
    moveShape(writer.doc, 's0003', [20, 20, 40, 30], { author: 'test' });
    await page.waitForFunction(() => [...document.querySelectorAll('[data-testid=shape-row]')].some((r) => r.getAttribute('data-points') === '[20,20,40,30]'));
    await frames(page);
    expect(await redraw(page)).toBe('region');

    // Deselect: the target goes back onto the layer.
    await page.keyboard.press('Escape');
    await page.waitForSelector('[data-testid=shape-row][aria-selected=true]', { state: 'detached' });
    await frames(page);
    expect(await redraw(page)).toBe('region');
    await capture(page, 'partial');

    // Labels off and on again: two full redraws of the same shapes.
    await fullRedrawAfter(page, () => page.keyboard.press('n'));
    await fullRedrawAfter(page, () => page.keyboard.press('n'));
    expect(await redraw(page)).toBe('all');
    await capture(page, 'full');
    // Skia picks its anti-aliasing method by a path's complexity, so an edge redrawn from the few
    // shapes of a region may differ from the full layer's by some levels; a shape, outline or label
    // missing or left behind differs by far more.
    const diff = await compare(page, 'partial', 'full', 48);
    expect(diff.painted).toBeGreaterThan(10_000);
    expect(diff.differing, `seed ${SEED}: ${JSON.stringify(diff)}`).toBe(0);
  });

  it('a collaborator\'s edit that arrives mid-pan is drawn on the panned layer, with a full redraw\'s pixels', async () => {
    const { page } = browser;
    await page.goto(url);
    await page.waitForSelector(`[data-testid=shapes-layer][data-drawn="${SHAPES}"]`);
    await page.click('[data-testid=tool-select]');
    await page.waitForSelector('[data-testid=shapes-layer][data-raster=done]');
    const b = (await page.locator('[data-testid=canvas]').boundingBox())!;
    const start = { x: Math.round(b.x + b.width * 0.3), y: Math.round(b.y + b.height * 0.3) };
    await page.keyboard.down('Space');
    await page.mouse.move(start.x, start.y);
    await page.mouse.down();
    for (let i = 1; i <= 5; i++) await page.mouse.move(start.x + i * 20, start.y + i * 10);
    // The layer follows the pan by a transform, not by drawing.
    expect(await page.getAttribute('[data-testid=shapes-layer]', 'style')).toMatch(/translate\(/);
    const to = [60, 40, 45, 35];
    moveShape(writer.doc, 's0005', to, { author: 'test' });
    await page.waitForFunction((p) => [...document.querySelectorAll('[data-testid=shape-row]')].some((r) => r.getAttribute('data-points') === p), JSON.stringify(to));
    await frames(page);
    expect(await redraw(page)).toBe('region');
    // Back to where the pan began: the view the layer was drawn at, so nothing is drawn again.
    await page.mouse.move(start.x, start.y);
    await page.mouse.up();
    await page.keyboard.up('Space');
    await frames(page);
    expect(await page.getAttribute('[data-testid=shapes-layer]', 'data-raster')).toBe('done');
    expect(await redraw(page)).toBe('region');
    await capture(page, 'panned');
    await fullRedrawAfter(page, () => page.keyboard.press('n'));
    await fullRedrawAfter(page, () => page.keyboard.press('n'));
    await capture(page, 'full');
    const diff = await compare(page, 'panned', 'full', 48);
    expect(diff.painted).toBeGreaterThan(10_000);
    expect(diff.differing, `seed ${SEED}: ${JSON.stringify(diff)}`).toBe(0);

    // A pan that ends elsewhere is drawn again at the new view once it settles.
    await fullRedrawAfter(page, async () => {
      await page.keyboard.down('Space');
      await page.mouse.move(start.x, start.y);
      await page.mouse.down();
      for (let i = 1; i <= 5; i++) await page.mouse.move(start.x - i * 10, start.y - i * 10);
      await page.mouse.up();
      await page.keyboard.up('Space');
    });
    expect(await page.getAttribute('[data-testid=shapes-layer]', 'style')).not.toContain('translate');
  });
});
