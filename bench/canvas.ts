// `npm run bench:canvas`: the annotate page in Chromium over an image with 2,000 shapes. Frame
// cost (main-thread time from the first input event of a frame to the end of that frame's
// rendering, the MessageChannel-after-rAF probe) during a scripted pan, zoom and shape drag;
// time from navigation to the photo drawn and to the photo drawn with all its shapes
// (first_draw_ms), beside a blank page's load in the same run; and the gzipped size of the built JavaScript. Last line: one JSON object.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { addShape } from '../shared/doc/annotations.ts';
import { CLIENT_DIST } from '../scripts/client-build.ts';
import { hasChromium, launch, login, startApp } from '../test/browser/harness.ts';
import { apiGet, apiLogin, openNodeDoc } from '../test/browser/node-client.ts';

const SHAPES = 2000;
const RUNS = 3;
const round = (n: number) => Math.round(n * 100) / 100;
const pct = (samples: number[], p: number) => {
  const s = samples.slice().sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]! : NaN;
};
const median = (xs: number[]) => pct(xs, 50);

/** Installed in the page as source text (tsx would otherwise add helpers the page lacks). */
const FRAME_PROBE = `(() => {
  window.__frames = [];
  window.__measure = false;
  let first = null;
  const mark = () => { if (first === null) first = performance.now(); };
  for (const t of ['pointermove', 'pointerdown', 'pointerup', 'wheel', 'keydown']) addEventListener(t, mark, { capture: true, passive: true });
  const ch = new MessageChannel();
  let start = null;
  ch.port1.onmessage = () => {
    if (start !== null && window.__measure) window.__frames.push(performance.now() - start);
    start = null;
  };
  const loop = () => {
    if (first !== null) { start = first; first = null; ch.port2.postMessage(0); }
    requestAnimationFrame(loop);
  };
  requestAnimationFrame(loop);
})()`;

if (!hasChromium) {
  console.error('bench:canvas needs /usr/bin/chromium (apt-get install -y chromium)');
  process.exit(1);
}

const app = await startApp();
const browser = await launch({ viewport: { width: 1366, height: 820 } });
try {
  // ------------------------------------------------------------ a dense image (seeded over sync)
  const manager = await apiLogin(app.url, 'manager');
  const projectId = app.server.demo!.projectId;
  const images = await apiGet<{ items: { id: string; width: number; height: number }[] }>(app.url, manager.token, `/projects/${projectId}/images?limit=1`);
  const image = images.items[0]!;
  const { width: W, height: H } = image;
  const writer = await openNodeDoc(app.url, manager.token, `ann:${image.id}`);
  const classes = await apiGet<{ items: { id: string }[] }>(app.url, manager.token, `/projects/${projectId}/classes`);
  let seed = 42;
  const rnd = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32);
  writer.doc.transact(() => {
    for (let i = 0; i < SHAPES - 1; i++) {
      const label = classes.items[i % classes.items.length]!.id;
      const x = rnd() * (W - 60), y = rnd() * (H - 60), w = 8 + rnd() * 50, h = 8 + rnd() * 50;
      const now = 1_000 + i;
      if (i % 4 === 3) addShape(writer.doc, { id: `s${String(i).padStart(5, '0')}`, kind: 'polygon', label, points: [x, y, x + w, y + h * 0.3, x + w * 0.6, y + h, x, y + h * 0.8] }, { author: 'bench', now });
      else addShape(writer.doc, { id: `s${String(i).padStart(5, '0')}`, kind: 'box', label, points: [x, y, w, h] }, { author: 'bench', now });
    }
    // The shape the drag phase grabs: drawn last (on top) in id order and in creation order.
    addShape(writer.doc, { id: 'zzzz-target', kind: 'box', label: classes.items[0]!.id, points: [W * 0.45, H * 0.45, W * 0.1, H * 0.1] }, { author: 'bench', now: 10_000 });
  });
  const check = await openNodeDoc(app.url, manager.token, `ann:${image.id}`);
  await check.waitForShapes((s) => s.length === SHAPES, 30_000);
  check.close();
  writer.close();
  const { page } = browser;
  await login(page, app.url, 'manager');
  const annotateUrl = `${app.url}/projects/${projectId}/images/${image.id}`;

  // ------------------------------------------------------------ first draw, beside a blank page
  const firstDraw: number[] = [];
  const imageDrawn: number[] = [];
  const blank: number[] = [];
  for (let r = 0; r < RUNS; r++) {
    await page.goto(`${app.url}/health`, { waitUntil: 'load' });
    blank.push(await page.evaluate(() => (performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming).loadEventEnd));
    await page.goto(annotateUrl, { waitUntil: 'commit' });
    // Polled every frame: when the photo was first drawn, and when the shapes were all drawn over it.
    const handle = await page.waitForFunction(
      (n) => {
        const w = window as unknown as { __imageAt?: number };
        const img = document.querySelector('[data-testid=canvas-image]') as HTMLImageElement | null;
        if (w.__imageAt === undefined && img?.complete && img.naturalWidth > 0) w.__imageAt = performance.now();
        const c = document.querySelector('[data-testid=shapes-layer]');
        const drawn = c?.getAttribute('data-drawn') ?? String(document.querySelectorAll('[data-testid=shape]').length);
        return w.__imageAt !== undefined && Number(drawn) === n ? { image: w.__imageAt, all: performance.now() } : false;
      },
      SHAPES,
      { polling: 'raf', timeout: 60_000 },
    ).catch(async (e) => {
      const state = await page.evaluate(() => ({
        drawn: document.querySelector('[data-testid=shapes-layer]')?.getAttribute('data-drawn'),
        count: document.querySelector('[data-testid=shape-count]')?.textContent,
        img: (document.querySelector('[data-testid=canvas-image]') as HTMLImageElement | null)?.complete,
        url: location.href,
      }));
      throw new Error(`the image with its shapes was not drawn within 60 s: ${JSON.stringify(state)}`, { cause: e });
    });
    const t = (await handle.jsonValue()) as { image: number; all: number };
    imageDrawn.push(t.image);
    firstDraw.push(t.all);
  }

  // ------------------------------------------------------------ frame cost while interacting
  await page.evaluate(FRAME_PROBE);
  const box = (await page.locator('[data-testid=canvas-image]').boundingBox())!;
  const at = (ix: number, iy: number) => ({ x: box.x + (ix / W) * box.width, y: box.y + (iy / H) * box.height });
  const phase = async (name: string, run: () => Promise<void>) => {
    await page.evaluate(() => {
      (window as unknown as { __frames: number[]; __measure: boolean }).__frames = [];
      (window as unknown as { __measure: boolean }).__measure = true;
    });
    await run();
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    const frames = await page.evaluate(() => {
      const w = window as unknown as { __frames: number[]; __measure: boolean };
      w.__measure = false;
      return w.__frames;
    });
    console.log(`${name.padEnd(5)} ${String(frames.length).padStart(4)} frames  p50 ${round(median(frames))} ms  p95 ${round(pct(frames, 95))} ms  max ${round(Math.max(...frames))} ms`);
    return frames;
  };
  await page.click('[data-testid=tool-select]');
  const c = at(W * 0.25, H * 0.25);
  const pan = await phase('pan', async () => {
    await page.keyboard.down('Space');
    await page.mouse.move(c.x, c.y);
    await page.mouse.down();
    for (let i = 1; i <= 60; i++) await page.mouse.move(c.x + i * 4, c.y + i * 2);
    await page.mouse.up();
    await page.keyboard.up('Space');
  });
  const zoom = await phase('zoom', async () => {
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    for (let i = 0; i < 30; i++) await page.mouse.wheel(0, -60);
    for (let i = 0; i < 30; i++) await page.mouse.wheel(0, 60);
  });
  await page.keyboard.press('0');
  const fitted = (await page.locator('[data-testid=canvas-image]').boundingBox())!;
  Object.assign(box, fitted);
  const t = at(W * 0.5, H * 0.5);
  const drag = await phase('drag', async () => {
    await page.mouse.move(t.x, t.y);
    await page.mouse.down();
    for (let i = 1; i <= 60; i++) await page.mouse.move(t.x + i * 3, t.y + i);
    await page.mouse.up();
  });
  const all = [...pan, ...zoom, ...drag];

  // ------------------------------------------------------------ bundle size
  const assets = join(CLIENT_DIST, 'assets');
  const js = readdirSync(assets).filter((f) => f.endsWith('.js'));
  const gz = js.reduce((n, f) => n + gzipSync(readFileSync(join(assets, f)), { level: 9 }).length, 0);

  const out = {
    bench: 'canvas',
    shapes: SHAPES,
    frame_p50_ms: round(median(all)),
    frame_p95_ms: round(pct(all, 95)),
    frame_max_ms: round(Math.max(...all)),
    pan_p95_ms: round(pct(pan, 95)),
    zoom_p95_ms: round(pct(zoom, 95)),
    drag_p95_ms: round(pct(drag, 95)),
    first_draw_ms: round(median(firstDraw)),
    image_drawn_ms: round(median(imageDrawn)),
    baseline: 'blank page load (same server, same browser)',
    baseline_load_ms: round(median(blank)),
    js_gz_kb: round(gz / 1024),
  };
  console.log(`first draw ${out.first_draw_ms} ms: photo at ${out.image_drawn_ms} ms, all ${SHAPES} shapes at ${out.first_draw_ms} ms (median of ${RUNS}; blank page load ${out.baseline_load_ms} ms)`);
  console.log(`JavaScript ${js.length} file(s), ${out.js_gz_kb} KB gzipped`);
  console.log(JSON.stringify(out));
} finally {
  await browser.close();
  await app.close();
}
