// The Lineage page in real Chromium against the real server (demo data: @1 and @2, four runs of
// street-det): the engineer opens it from the project, sees both releases in order with the runs
// hanging off them and the diff on the parent edge, switches the plotted metric, and clicks QA's
// test-split run on @2 to see its images and the annotators and reviewer behind them, as the
// lineage API counts them; a run recorded through the API meanwhile appears without a reload. With SCREENSHOTS=1 it saves docs/screenshots/lineage.png.
import { describe, expect, it } from 'vitest';
import { hasChromium, login, useApp } from './harness.ts';
import { apiGet, apiLogin } from './node-client.ts';

const OUT = new URL('../../docs/screenshots/', import.meta.url).pathname;
const shoot = process.env.SCREENSHOTS === '1';

describe.skipIf(!hasChromium)('lineage in Chromium', () => {
  const app = useApp({ viewport: { width: 1440, height: 900 } });

  it('draws releases and runs, plots a metric across releases, and shows the people behind a run', async () => {
    const projectId = app.server.demo!.projectId;
    const eng = await apiLogin(app.url, 'engineer');
    const runs = (await apiGet<{ items: { id: string; releaseNumber: number; split: string | null }[] }>(app.url, eng.token, `/projects/${projectId}/runs`)).items;
    const qaRun = runs.find((r) => r.releaseNumber === 2 && r.split === 'test')!;
    const expected = await apiGet<{ edges: { kind: string; counts?: Record<string, number> }[]; images: unknown[] }>(app.url, eng.token, `/projects/${projectId}/lineage?run=${qaRun.id}`);

    const b = await app.open();
    const { page } = b;
    await login(page, app.url, 'engineer');
    await page.goto(`${app.url}/projects/${projectId}`);
    await page.click('[data-testid=lineage-link]');
    await page.waitForSelector('[data-testid=lineage-graph] [data-testid=lineage-run]');
    expect(await page.locator('[data-testid=lineage-release] .lineage-node-title').allTextContents()).toEqual(['demo@1', 'demo@2']);
    expect(await page.locator('[data-testid=lineage-run]').count()).toBe(4);
    expect(await page.locator('[data-testid=diff-label]').allTextContents()).toEqual([expect.stringMatching(/^vs @1: /)]);
    // Releases left to right in order; every run right of the release it was measured on.
    const xOf = async (sel: string) => (await page.locator(sel).boundingBox())!.x;
    const rel = await page.locator('[data-testid=lineage-release]').evaluateAll((els) => els.map((e) => e.getAttribute('data-id')!));
    expect(await xOf(`[data-testid=lineage-release][data-id="${rel[0]}"]`)).toBeLessThan(await xOf(`[data-testid=lineage-release][data-id="${rel[1]}"]`));
    expect(await xOf(`[data-testid=lineage-run][data-id="${qaRun.id}"]`)).toBeGreaterThan(await xOf(`[data-testid=lineage-release][data-id="${rel[1]}"]`));

    // The metric menu: mAP by default, one line per model and split, a point per release.
    expect(await page.locator('[data-testid=metric-menu]').inputValue()).toBe('mAP');
    expect(await page.locator('[data-testid=metric-series]').evaluateAll((els) => els.map((e) => e.getAttribute('data-name')))).toEqual(['street-det · test', 'street-det · val']);
    expect(await page.locator('[data-testid=metric-point]').count()).toBe(4);
    await page.selectOption('[data-testid=metric-menu]', 'mAP50');
    await page.waitForFunction(() => document.querySelector('[data-testid=lineage-run] .lineage-node-sub')?.textContent?.includes('mAP50'));

    // Click QA's run on @2: its test-split images and who labelled and approved them.
    await page.selectOption('[data-testid=metric-menu]', 'mAP');
    await page.click(`[data-testid=lineage-run][data-id="${qaRun.id}"]`);
    await page.waitForSelector('[data-testid=run-panel]');
    expect(await page.locator('[data-testid=run-images-count]').textContent()).toBe(`${expected.images.length} image${expected.images.length === 1 ? '' : 's'} in the test split`);
    const annotated = expected.edges.filter((e) => e.kind === 'annotated');
    expect(await page.locator('[data-testid=annotator-row]').count()).toBe(annotated.length);
    expect(annotated.length).toBeGreaterThan(0);
    const reviewerRows = await page.locator('[data-testid=reviewer-row] td').allTextContents();
    expect(reviewerRows[0]).toBe('reviewer');
    expect(await page.locator(`[data-testid=lineage-run][data-id="${qaRun.id}"]`).getAttribute('class')).toMatch(/selected/);
    expect(b.errors).toEqual([]);
    if (shoot) await page.screenshot({ path: `${OUT}lineage.png`, fullPage: true });

    // A run recorded elsewhere (a training script's `tessera runs add`) appears live, no reload.
    const res = await fetch(`${app.url}/api/projects/${projectId}/runs`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${eng.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ release: 2, model: 'street-det', version: '2.1.0', split: 'val', metrics: { mAP: 0.5, mAP50: 0.7 } }),
    });
    expect(res.status).toBe(201);
    const live = (await res.json()) as { id: string };
    await page.waitForSelector(`[data-testid=lineage-run][data-id="${live.id}"]`);
    expect(await page.locator('[data-testid=lineage-run]').count()).toBe(5);
    // The selected run's panel stayed open through the refetch.
    expect(await page.locator('[data-testid=run-panel]').count()).toBe(1);

    // From the run to one of its images on the annotate page.
    await page.click('[data-testid=run-images] a');
    await page.waitForURL(/\/projects\/[^/]+\/images\/[^/]+$/);
  }, 180_000);
});
