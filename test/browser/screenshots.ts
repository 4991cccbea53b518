// Takes screenshots of the main pages with demo data into /tmp/shots (run: npx tsx test/browser/screenshots.ts).
import { mkdirSync } from 'node:fs';
import { launch, login, startApp } from './harness.ts';

const OUT = '/tmp/shots';
mkdirSync(OUT, { recursive: true });
const app = await startApp();
const b = await launch();
try {
  const { page } = b;
  await page.goto(`${app.url}/login`);
  await page.waitForSelector('[data-testid=login-form]');
  await page.fill('input[name=username]', 'annotator1');
  await page.fill('input[name=password]', 'wrong');
  await page.click('button[type=submit]');
  await page.waitForSelector('[data-testid=error]');
  await page.screenshot({ path: `${OUT}/login.png` });

  await login(page, app.url, 'manager');
  await page.screenshot({ path: `${OUT}/projects.png` });
  await page.click('[data-testid=project-card]');
  await page.waitForSelector('[data-testid=image-tile] img');
  await page.waitForFunction(() => [...document.querySelectorAll('[data-testid=image-tile] img')].slice(0, 8).every((i) => (i as HTMLImageElement).complete));
  await page.screenshot({ path: `${OUT}/grid.png` });
  await page.check('[data-testid=tile-select] >> nth=0');
  await page.check('[data-testid=tile-select] >> nth=1');
  await page.screenshot({ path: `${OUT}/grid-assign.png` });
  await page.uncheck('[data-testid=tile-select] >> nth=0');
  await page.uncheck('[data-testid=tile-select] >> nth=1');
  await page.click('text=Classes');
  await page.waitForSelector('[data-testid=classes-table] tbody tr');
  await page.screenshot({ path: `${OUT}/classes.png` });
  await page.click('text=Images');
  await page.click('[data-testid=image-tile]');
  await page.waitForSelector('[data-testid=canvas-image]');
  await page.waitForFunction(() => (document.querySelector('[data-testid=canvas-image]') as HTMLImageElement).complete);
  const box = (await page.locator('[data-testid=canvas]').boundingBox())!;
  const draw = async (x0: number, y0: number, x1: number, y1: number) => {
    await page.mouse.move(box.x + x0, box.y + y0);
    await page.mouse.down();
    await page.mouse.move(box.x + (x0 + x1) / 2, box.y + (y0 + y1) / 2);
    await page.mouse.move(box.x + x1, box.y + y1);
    await page.mouse.up();
  };
  await draw(200, 420, 360, 560);
  await page.keyboard.press('2');
  await draw(500, 380, 640, 600);
  await page.keyboard.press('p');
  for (const [x, y] of [[700, 400], [820, 380], [860, 520], [720, 560]]) await page.mouse.click(box.x + x, box.y + y);
  await page.keyboard.press('Enter');
  await page.keyboard.press('v');
  await page.locator('[data-testid=shape-row]').first().click();
  await page.fill('.comments textarea', 'Is this really a car? Looks like a van.');
  await page.click('.comments button[type=submit]');
  // A reviewer on the same image: presence avatar and their cursor on the manager's canvas.
  const other = await launch();
  try {
    await login(other.page, app.url, 'reviewer');
    await other.page.goto(page.url());
    await other.page.waitForSelector('[data-testid=sync-status][data-status=online]');
    const ob = (await other.page.locator('[data-testid=canvas]').boundingBox())!;
    await other.page.mouse.move(ob.x + 300, ob.y + 250);
    await other.page.mouse.move(ob.x + 320, ob.y + 260);
    await page.waitForSelector('[data-testid=presence-user]');
    await page.waitForSelector('.peer-cursor');
    await page.waitForSelector('[data-testid=sync-status][data-status=online]');
    await page.screenshot({ path: `${OUT}/annotate.png` });
    await other.page.screenshot({ path: `${OUT}/annotate-reviewer.png` });
  } finally {
    await other.close();
  }
  const eng = await launch({ viewport: { width: 1200, height: 700 } });
  try {
    await login(eng.page, app.url, 'engineer');
    await eng.page.goto(page.url());
    await eng.page.waitForSelector('[data-testid=readonly-badge]');
    await eng.page.waitForSelector('[data-testid=shape]');
    await eng.page.screenshot({ path: `${OUT}/annotate-engineer.png` });
  } finally {
    await eng.close();
  }
  console.log(`screenshots in ${OUT}`);
} finally {
  await b.close();
  await app.close();
}
