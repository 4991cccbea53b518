// Takes the README's screenshots of the workspace with demo data into docs/screenshots/
// (run: npx tsx test/browser/screenshots.ts): every shape kind and a tag, three collaborators'
// cursors, the offline badge with a pending count, the shortcut sheet, a dense image, the grid.
import { mkdirSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { addShape } from '../../shared/doc/annotations.ts';
import { launch, login, startApp } from './harness.ts';
import { apiGet, apiLogin, openNodeDoc } from './node-client.ts';

const OUT = new URL('../../docs/screenshots/', import.meta.url).pathname;
mkdirSync(OUT, { recursive: true });
const app = await startApp();
const pid = app.server.demo!.projectId;
const shot = (page: Page, name: string) => page.screenshot({ path: `${OUT}${name}.png` });
const manager = await apiLogin(app.url, 'manager');
const images = (await apiGet<{ items: { id: string; width: number; height: number; assignee: string | null }[] }>(app.url, manager.token, `/projects/${pid}/images?limit=1000`)).items;
const ready = async (page: Page) => {
  await page.waitForSelector('[data-testid=sync-status][data-status=online]');
  await page.waitForFunction(() => (document.querySelector('[data-testid=canvas-image]') as HTMLImageElement | null)?.complete);
};
const b = await launch();
try {
  const { page } = b;
  await login(page, app.url, 'manager');
  const image = images[0]!;
  await page.goto(`${app.url}/projects/${pid}/images/${image.id}`);
  await ready(page);
  const c = (await page.locator('[data-testid=canvas-image]').boundingBox())!;
  const at = (fx: number, fy: number) => ({ x: c.x + c.width * fx, y: c.y + c.height * fy });
  const click = async (fx: number, fy: number) => page.mouse.click(at(fx, fy).x, at(fx, fy).y);
  const drag = async (a: [number, number], z: [number, number]) => {
    await page.mouse.move(at(...a).x, at(...a).y);
    await page.mouse.down();
    await page.mouse.move(at(...z).x, at(...z).y, { steps: 4 });
    await page.mouse.up();
  };
  // Every kind: boxes (two classes), a polygon closed on its first point, a polyline, points, a tag.
  await page.keyboard.press('1');
  await drag([0.12, 0.5], [0.3, 0.75]);
  await page.keyboard.press('2');
  await drag([0.4, 0.45], [0.48, 0.8]);
  await page.keyboard.press('p');
  await page.keyboard.press('3');
  for (const [x, y] of [[0.55, 0.55], [0.68, 0.5], [0.72, 0.7], [0.6, 0.78]] as const) await click(x, y);
  await click(0.55, 0.55);
  await page.keyboard.press('l');
  await page.keyboard.press('5');
  for (const [x, y] of [[0.1, 0.9], [0.4, 0.86], [0.7, 0.92], [0.95, 0.88]] as const) await click(x, y);
  await page.keyboard.press('Enter');
  await page.keyboard.press('o');
  await page.keyboard.press('4');
  await click(0.82, 0.3);
  await click(0.86, 0.34);
  await page.keyboard.press('Shift+Digit1');
  await page.keyboard.press('v');
  await page.locator('[data-testid=shape-row][data-kind=polygon]').click();
  await page.fill('input[aria-label="Attribute name"]', 'occluded');
  await page.fill('input[aria-label="Attribute value"]', 'partly');
  await page.click('.attr-form button[type=submit]');
  await page.mouse.move(at(0.66, 0.62).x, at(0.66, 0.62).y);
  await shot(page, 'annotate-shapes');

  // Three collaborators on the same image (real presence over the sync socket), each in their colour.
  const peers = [];
  for (const [user, x, y] of [['reviewer', 0.2, 0.3], ['annotator1', 0.5, 0.25], ['engineer', 0.78, 0.6]] as const) {
    const d = await openNodeDoc(app.url, (await apiLogin(app.url, user)).token, `ann:${image.id}`);
    const id = (await apiLogin(app.url, user)).user.id;
    d.awareness.setLocalState({ user: { id, name: user, color: '#000000' }, cursor: { x: image.width * x, y: image.height * y } });
    peers.push(d);
  }
  await page.waitForFunction(() => document.querySelectorAll('[data-testid=peer-cursor]').length >= 2);
  await page.keyboard.press('Escape');
  await shot(page, 'annotate-three-cursors');
  for (const d of peers) d.close();

  await page.keyboard.press('Shift+Slash');
  await page.waitForSelector('[data-testid=shortcut-sheet]');
  await shot(page, 'shortcut-sheet');
  await page.keyboard.press('Escape');

  // A dense image: 2,000 shapes, labels placed without piling up.
  const dense = images[1]!;
  const w = await openNodeDoc(app.url, manager.token, `ann:${dense.id}`);
  const classes = (await apiGet<{ items: { id: string }[] }>(app.url, manager.token, `/projects/${pid}/classes`)).items;
  let seed = 7;
  const rnd = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32);
  w.doc.transact(() => {
    for (let i = 0; i < 2000; i++) {
      const x = rnd() * (dense.width - 50), y = rnd() * (dense.height - 50);
      addShape(w.doc, { kind: 'box', label: classes[i % classes.length]!.id, points: [x, y, 8 + rnd() * 40, 8 + rnd() * 40] }, { author: 'demo', now: i });
    }
  });
  await w.waitForShapes((s) => s.length === 2000);
  w.close();
  await page.goto(`${app.url}/projects/${pid}/images/${dense.id}`);
  await ready(page);
  await page.waitForSelector('[data-testid=shapes-layer][data-drawn="2000"]');
  await shot(page, 'annotate-dense');

  // An annotator takes their batch offline, loses the network, and edits.
  const a = await launch();
  try {
    await login(a.page, app.url, 'annotator2');
    await a.page.click('[data-testid=project-card]');
    await a.page.click('[data-testid=batch-offline]');
    await a.page.waitForFunction(() => { const e = document.querySelector('[data-testid=batch-progress]'); return !!e && e.getAttribute('data-done') === e.getAttribute('data-total'); });
    await shot(a.page, 'grid-batch-offline');
    await a.context.setOffline(true);
    await a.page.click('[data-testid=image-tile] >> nth=2');
    await a.page.waitForFunction(() => (document.querySelector('[data-testid=canvas-image]') as HTMLImageElement | null)?.naturalWidth);
    const ac = (await a.page.locator('[data-testid=canvas-image]').boundingBox())!;
    for (const [fx, fy] of [[0.2, 0.5], [0.5, 0.45], [0.7, 0.6]]) {
      await a.page.mouse.move(ac.x + ac.width * fx!, ac.y + ac.height * fy!);
      await a.page.mouse.down();
      await a.page.mouse.move(ac.x + ac.width * (fx! + 0.12), ac.y + ac.height * (fy! + 0.2), { steps: 3 });
      await a.page.mouse.up();
    }
    await a.page.waitForSelector('[data-testid=sync-status][data-status=offline][data-pending="3"]');
    await shot(a.page, 'annotate-offline-pending');
  } finally {
    await a.close();
  }

  await page.goto(`${app.url}/projects/${pid}`);
  await page.waitForSelector('[data-testid=progress-row]');
  await page.waitForFunction(() => [...document.querySelectorAll('[data-testid=image-tile] img')].slice(0, 8).every((i) => (i as HTMLImageElement).complete));
  await page.click('[data-testid=tile-select] >> nth=0');
  await page.click('[data-testid=tile-select] >> nth=5', { modifiers: ['Shift'] });
  await shot(page, 'grid-manager');
  console.log(`screenshots in ${OUT}`);
} finally {
  await b.close();
  await app.close();
}
