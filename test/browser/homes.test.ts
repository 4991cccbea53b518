// Role homes in real Chromium (issue 14 item 4): each of the five demo roles signs in at / and
// lands on its own view — annotator: My work; reviewer: the review queue; engineer: releases,
// pipelines and model runs; QA: the releases awaiting validation with the latest validation and
// EDA; manager: the project dashboard. With SCREENSHOTS=1 each is saved as
// docs/screenshots/home-<role>.png.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { hasChromium, loginToHome, useApp } from './harness.ts';
import { apiGet, apiLogin } from './node-client.ts';

const OUT = new URL('../../docs/screenshots/', import.meta.url).pathname;
const shoot = process.env.SCREENSHOTS === '1';

describe.skipIf(!hasChromium)('role homes in Chromium', () => {
  const app = useApp({ viewport: { width: 1366, height: 860 } });

  const signIn = async (username: string): Promise<Page> => {
    const b = await app.open();
    await loginToHome(b.page, app.url, username);
    return b.page;
  };
  const shot = async (page: Page, role: string) => {
    if (shoot) await page.screenshot({ path: `${OUT}home-${role}.png`, fullPage: true });
  };
  const landedOn = (page: Page, suffix: string) => page.waitForURL((u) => u.pathname === `/projects/${app.projectId}${suffix}`);

  it('annotator: My work', async () => {
    const page = await signIn('annotator1');
    await landedOn(page, '/review');
    await page.waitForSelector('[data-testid=queue-item]');
    expect(await page.textContent('h2')).toBe('My work');
    expect(await page.locator('[data-testid=tab-review]').count()).toBe(0);
    await shot(page, 'annotator');
  });

  it('reviewer: the review queue', async () => {
    const page = await signIn('reviewer');
    await landedOn(page, '/review');
    await page.waitForSelector('[data-testid=queue-item][data-status=submitted]');
    expect(await page.textContent('h2')).toBe('To review');
    await shot(page, 'reviewer');
  });

  it('engineer: releases, pipeline runs, model runs', async () => {
    const page = await signIn('engineer');
    await landedOn(page, '/home');
    await page.waitForSelector('[data-testid=home-title][data-role=engineer]');
    await page.waitForSelector('[data-testid=home-release]');
    expect(await page.locator('[data-testid=home-release]').evaluateAll((ls) => ls.map((l) => l.querySelector('a')!.textContent))).toEqual(['@2', '@1']);
    await page.waitForSelector('[data-testid=home-run]');
    expect(await page.locator('[data-testid=home-pipelines] [data-testid=home-run]').allTextContents()).toEqual([expect.stringMatching(/^demo-check\s*succeeded/)]);
    await page.waitForSelector('[data-testid=home-model-runs] :is(p, li)');
    await shot(page, 'engineer');
  });

  it('QA: releases awaiting validation with the latest validation and EDA, and the way to the QA form', async () => {
    const page = await signIn('qa');
    await landedOn(page, '/home');
    await page.waitForSelector('[data-testid=home-title][data-role=qa]');
    // The demo's QA validated @1: @2 waits.
    await page.waitForSelector('[data-testid=home-qa-release]');
    expect(await page.locator('[data-testid=home-qa-release]').evaluateAll((ls) => ls.map((l) => l.getAttribute('data-release')))).toEqual(['2']);
    await page.waitForSelector('[data-testid=home-qa-problems]');
    await page.waitForSelector('[data-testid=home-qa-eda] .class-bar');
    // @2's own EDA (its release report, not the pipeline's): its five largest classes, in order.
    const qa = await apiLogin(app.url, 'qa');
    const report = await apiGet<{ all: { classes: { name: string; shapes: number }[]; imagesWithoutShapes: { count: number } } }>(app.url, qa.token, `/projects/${app.projectId}/releases/2/report`);
    const top = [...report.all.classes].sort((a, b) => b.shapes - a.shapes).slice(0, 5);
    await page.waitForSelector('[data-testid=home-qa-release-eda] .class-bar');
    const bars = await page.locator('[data-testid=home-qa-release-eda] .class-bar').evaluateAll((els) => els.map((e) => [e.children[0].textContent, Number(e.children[2].textContent)]));
    expect(bars).toEqual(top.map((c) => [c.name, c.shapes]));
    expect(top.length).toBeGreaterThan(0);
    expect(await page.locator('[data-testid=home-qa-empty-images]').textContent()).toBe(`${report.all.imagesWithoutShapes.count} image${report.all.imagesWithoutShapes.count === 1 ? '' : 's'} without shapes`);
    await shot(page, 'qa');
    await page.click('[data-testid=home-qa-open]');
    await page.waitForURL((u) => u.pathname === `/projects/${app.projectId}/releases/2`);
  });

  it('manager: the dashboard', async () => {
    const page = await signIn('manager');
    await landedOn(page, '/home');
    await page.waitForSelector('[data-testid=home-title][data-role=manager]');
    await page.waitForSelector('[data-testid=home-status] [data-testid=progress-summary]');
    // The demo's approvals happened today: the last day's bar is not empty.
    await page.waitForFunction(() => Number(document.querySelector('[data-testid=home-throughput] g:last-of-type .bar-approved')?.getAttribute('height')) > 0);
    // The demo: submitted images wait, two releases, one pipeline run that succeeded.
    await page.waitForFunction(() => Number(document.querySelector('[data-testid=home-submitted]')?.textContent) > 0);
    expect(await (await page.waitForSelector('[data-testid=home-latest-release] p a')).textContent()).toBe('@2');
    expect(await page.textContent('[data-testid=home-failed-runs]')).toBe('0');
    await shot(page, 'manager');
    for (const b of app.browsers) expect(b.errors).toEqual([]);
  });
});
