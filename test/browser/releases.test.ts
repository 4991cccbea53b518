// Releases in real Chromium against the real server (demo data: @1 aliased prod and validated, @2):
// the engineer opens the Releases page from the project, cuts @3 through the dialog (its preview
// first, then the job's progress from the event stream), lands on @3's page with the diff and the
// generated notes beside the free text and the EDA charts, sets an alias; QA marks @3 validated; the list shows it all.
// With SCREENSHOTS=1 it saves docs/screenshots/releases-list.png and release-detail.png.
import * as Y from 'yjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { hasChromium, login, useApp } from './harness.ts';
import { apiGet, apiLogin, openNodeDoc } from './node-client.ts';

interface ImageRow { id: string; fileName: string; assignee: string | null; status: string }
const OUT = new URL('../../docs/screenshots/', import.meta.url).pathname;
const shoot = process.env.SCREENSHOTS === '1';

describe.skipIf(!hasChromium)('releases in Chromium', () => {
  const app = useApp({ viewport: { width: 1366, height: 900 } });
  beforeAll(async () => {
    // One more approval since @2, over HTTP as the reviewer (seen = the server's state, read by a sync client).
    const reviewer = await apiLogin(app.url, 'reviewer');
    const all = (await apiGet<{ items: ImageRow[] }>(app.url, reviewer.token, `/projects/${app.projectId}/images?limit=1000&status=submitted`)).items;
    const image = all.sort((a, b) => (a.fileName < b.fileName ? -1 : 1))[0]!;
    const doc = await openNodeDoc(app.url, reviewer.token, `ann:${image.id}`);
    const seen = Buffer.from(Y.encodeStateVector(doc.doc)).toString('base64');
    doc.close();
    const res = await fetch(`${app.url}/api/projects/${app.projectId}/images/${image.id}/approve`, {
      method: 'POST',
      headers: { authorization: `Bearer ${reviewer.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ seen }),
    });
    expect(res.status, await res.clone().text()).toBe(200);
  }, 120_000);

  it('engineer cuts @3 through the dialog (preview, live progress), sets an alias; QA validates it', async () => {
    const eng = await app.open();
    const { page } = eng;
    await login(page, app.url, 'engineer');
    await page.click('[data-testid=project-card]');
    await page.click('[data-testid=releases-link]');
    await page.waitForSelector('[data-testid=release-row][data-number="2"]');
    expect(await page.locator('[data-testid=release-row]').count()).toBe(2);
    expect(await page.locator('[data-testid=release-row][data-number="1"] [data-testid=alias]').allTextContents()).toEqual(['prod']);
    expect(await page.locator('[data-testid=release-row][data-number="1"] [data-testid=qa-state]').textContent()).toBe('validated');

    // The dialog shows what the cut would include, as the server counts it.
    await page.click('[data-testid=cut-release]');
    const eTok = await apiLogin(app.url, 'engineer');
    const preview = await apiGet<{ included: number; unreviewedEdits: number; noRevision: number }>(app.url, eTok.token, `/projects/${app.projectId}/release-preview`);
    const shown = await page.waitForSelector('[data-testid=cut-preview]');
    expect(await shown.getAttribute('data-included')).toBe(String(preview.included));
    expect(await shown.getAttribute('data-unreviewed')).toBe(String(preview.unreviewedEdits));
    expect(await shown.getAttribute('data-norevision')).toBe(String(preview.noRevision));
    await page.fill('[data-testid=cut-notes]', 'Third cut: one more approved street scene.');
    await page.click('[data-testid=cut-start]');
    await page.waitForSelector('[data-testid=cut-progress]');
    const done = await page.waitForSelector('[data-testid=cut-done][data-created=true]');
    expect(await done.getAttribute('data-number')).toBe('3');
    await page.click('[data-testid=cut-open]');

    // @3's page: notes beside generated notes, the diff naming the added image, the pull command.
    await page.waitForSelector('[data-testid=release-detail][data-number="3"]');
    expect(await page.textContent('[data-testid=release-notes]')).toBe('Third cut: one more approved street scene.');
    expect(await page.textContent('[data-testid=generated-notes]')).toContain('Since @2: 1 image added.');
    expect(await page.textContent('[data-testid=diff-imagesAdded]')).toContain('1');
    expect(await page.textContent('[data-testid=pull-command]')).toBe(`npx tessera pull --server ${app.url} demo@3 --format coco --out demo-3-coco`);
    // The EDA report the cut stored: charts over the whole release and per split.
    const report = await apiGet<{ all: { images: number; classes: unknown[] }; splits: { train: { images: number } } }>(app.url, eTok.token, `/projects/${app.projectId}/releases/3/report`);
    expect(await page.textContent('[data-testid=eda-summary]')).toContain(`${report.all.images} images`);
    expect(await page.locator('[data-testid=eda-classes] svg g').count()).toBe(report.all.classes.length);
    await page.click('[data-testid=eda-scope-train]');
    expect(await page.textContent('[data-testid=eda-summary]')).toContain(`${report.splits.train.images} images`);
    await page.click('[data-testid=eda-scope-all]');
    await page.selectOption('[data-testid=pull-format]', 'yolo');
    expect(await page.textContent('[data-testid=pull-command]')).toContain('demo@3 --format yolo --out demo-3-yolo');
    const zip = await fetch(`${app.url}${await page.getAttribute('[data-testid=export-voc]', 'href')}`, { headers: { authorization: `Bearer ${eTok.token}` } });
    expect([zip.status, zip.headers.get('content-type')]).toEqual([200, 'application/zip']);
    // Engineers set aliases but give no QA verdict.
    expect(await page.locator('[data-testid=qa-validated]').count()).toBe(0);
    await page.fill('[data-testid=alias-name]', 'candidate');
    await page.click('[data-testid=alias-set]');
    await page.waitForFunction(() => [...document.querySelectorAll('[data-testid=release-detail] [data-testid=alias]')].some((a) => a.textContent === 'candidate'));

    // QA validates @3 in another browser; the engineer's page follows from the event stream.
    const qa = await app.open();
    await login(qa.page, app.url, 'qa');
    await qa.page.goto(`${app.url}/projects/${app.projectId}/releases/3`);
    await qa.page.waitForSelector('[data-testid=release-detail][data-number="3"]');
    expect(await qa.page.locator('[data-testid=alias-set]').count()).toBe(0);
    await qa.page.fill('[data-testid=qa-notes]', 'Looked at the new scene: boxes follow the cars.');
    await qa.page.click('[data-testid=qa-validated]');
    await qa.page.waitForFunction(() => document.querySelector('[data-testid=release-detail] [data-testid=qa-state]')?.textContent === 'validated');
    await page.waitForFunction(() => document.querySelector('[data-testid=release-detail] [data-testid=qa-state]')?.textContent === 'validated');
    expect(await page.textContent('[data-testid=qa-history]')).toContain('Looked at the new scene');
    if (shoot) await page.screenshot({ path: `${OUT}release-detail.png`, fullPage: true });

    await page.click('.crumbs a:has-text("Releases")');
    await page.waitForSelector('[data-testid=release-row][data-number="3"]');
    const row3 = page.locator('[data-testid=release-row][data-number="3"]');
    expect(await row3.locator('[data-testid=alias]').allTextContents()).toEqual(['latest', 'candidate']);
    expect(await row3.locator('[data-testid=qa-state]').textContent()).toBe('validated');
    if (shoot) await page.screenshot({ path: `${OUT}releases-list.png` });
    expect(eng.errors).toEqual([]);
    expect(qa.errors).toEqual([]);
  }, 120_000);
});
