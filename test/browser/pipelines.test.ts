// The Pipelines page in real Chromium: the demo's finished run is listed with its DAG; an engineer
// uploads a pipeline file with a bad parameter (the problem is shown with its path, nothing
// starts), fixes it, starts it, watches every step finish live, and opens a job's log.
// With SCREENSHOTS=1 it saves docs/screenshots/pipelines.png.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasChromium, login, useApp, type Browser } from './harness.ts';
import { apiGet, apiLogin } from './node-client.ts';

const OUT = new URL('../../docs/screenshots/', import.meta.url).pathname;
const shoot = process.env.SCREENSHOTS === '1';

describe.skipIf(!hasChromium)('pipelines page in Chromium', () => {
  const app = useApp({ viewport: { width: 1366, height: 900 } });
  let b: Browser;
  const files = mkdtempSync(join(tmpdir(), 'tessera-pipeline-files-'));
  beforeAll(async () => {
    b = await app.open();
  });
  afterAll(() => rmSync(files, { recursive: true, force: true }));

  it('rejects a bad file with the path, starts the fixed one, shows it finish live, opens a job log', async () => {
    const projectId = app.server.demo!.projectId;
    const page = b.page;
    await login(page, app.url, 'engineer');
    await page.click('[data-testid=project-card]');
    await page.click('[data-testid=pipelines-link]');
    // The demo's run, finished, is shown first.
    await page.waitForSelector('[data-testid=run-detail][data-status=succeeded]');
    expect(await page.locator('[data-testid=run-item]').count()).toBe(1);
    expect(await page.locator('[data-testid=run-node]').evaluateAll((ns) => ns.map((n) => `${n.getAttribute('data-step')}:${n.getAttribute('data-status')}`))).toEqual(['check:succeeded', 'eda:succeeded', 'coco:succeeded']);

    // Its report job's output is drawn as charts.
    await page.click('[data-testid=run-node][data-step=eda]');
    await page.waitForSelector('[data-testid=job-panel][data-state=succeeded] [data-testid=report-classes] svg rect');
    expect(await page.locator('[data-testid=report-charts] figure').count()).toBe(5);
    if (shoot) await page.screenshot({ path: `${OUT}pipelines-report.png`, fullPage: true });

    const bad = join(files, 'export-twice.yaml');
    writeFileSync(bad, 'name: export-twice\nstages:\n  - id: coco\n    uses: export\n  - id: voc\n    uses: export\n    needs: [coco]\n    with: { format: png }\n');
    await page.setInputFiles('[data-testid=pipeline-file]', bad);
    await page.waitForFunction(() => (document.querySelector('[data-testid=pipeline-text]') as HTMLTextAreaElement).value.includes('format: png'));
    await page.click('[data-testid=pipeline-start]');
    const problems = await page.waitForSelector('[data-testid=pipeline-problems]');
    expect(await problems.textContent()).toMatch(/^stages\[1\]\.with\.format: /);
    const engineer = await apiLogin(app.url, 'engineer');
    expect((await apiGet<{ items: unknown[] }>(app.url, engineer.token, `/projects/${projectId}/pipeline-runs`)).items).toHaveLength(1);

    // A YAML syntax error (the server parses the text) is shown with its line and column.
    const text0 = await page.inputValue('[data-testid=pipeline-text]');
    await page.fill('[data-testid=pipeline-text]', 'name: broken\nstages: [\n');
    await page.click('[data-testid=pipeline-start]');
    await page.waitForSelector('[data-testid=pipeline-problems]:has-text("line ")');
    await page.fill('[data-testid=pipeline-text]', text0);

    // Fixed in the editor and started: the URL names the new run, whose steps finish live.
    const text = await page.inputValue('[data-testid=pipeline-text]');
    await page.fill('[data-testid=pipeline-text]', text.replace('format: png', 'format: voc'));
    await page.click('[data-testid=pipeline-start]');
    await page.waitForURL(/\/pipelines\/[A-Za-z0-9_-]+$/);
    const runId = page.url().split('/').pop()!;
    await page.waitForSelector(`[data-testid=run-detail][data-run="${runId}"][data-status=succeeded]`, { timeout: 30_000 });
    expect(await page.locator('[data-testid=run-node]').evaluateAll((ns) => ns.map((n) => n.getAttribute('data-status')))).toEqual(['succeeded', 'succeeded']);
    await page.waitForSelector(`[data-testid=run-item][data-run="${runId}"][data-status=succeeded]`);
    expect(await page.locator('[data-testid=run-item]').count()).toBe(2);

    // A step opens its job: state, the log the stage wrote.
    await page.click('[data-testid=run-node][data-step=voc]');
    await page.waitForSelector('[data-testid=job-panel][data-state=succeeded]');
    await page.waitForFunction(() => /voc files/.test(document.querySelector('[data-testid=job-log]')?.textContent ?? ''));
    expect(await page.locator('[data-testid=job-retry]').count()).toBe(0);
    if (shoot) await page.screenshot({ path: `${OUT}pipelines.png`, fullPage: true });
    // The two refused starts (a bad parameter, broken YAML) are the only errors the page logged.
    const refused = expect.stringMatching(/status of 400 .*\/pipeline-runs\)$/);
    expect(b.errors).toEqual([refused, refused]);
  });
});
