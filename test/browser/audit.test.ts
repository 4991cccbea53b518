// The audit log page in real Chromium: a manager narrows the log to an action family and to one
// actor, and the CSV export downloads exactly the entries the filters show.
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasChromium, launch, login, startApp, type App, type Browser } from './harness.ts';
import { apiLogin } from './node-client.ts';

describe.skipIf(!hasChromium)('audit log page in Chromium', () => {
  let app: App;
  let b: Browser;
  beforeAll(async () => {
    app = await startApp();
    b = await launch();
  });
  afterAll(async () => {
    await b?.close().catch(() => undefined);
    await app?.close();
  });

  it('filters by action family and actor, and exports what it shows as CSV', async () => {
    const manager = await apiLogin(app.url, 'manager');
    const projectId = app.server.demo!.projectId;
    // Something recent by the manager in the member family, beside the demo's seeding entries.
    const members = (await (await fetch(`${app.url}/api/projects/${projectId}/members`, { headers: { authorization: `Bearer ${manager.token}` } })).json()) as { items: { userId: string; username: string }[] };
    const qa = members.items.find((m) => m.username === 'qa')!;
    const patch = await fetch(`${app.url}/api/projects/${projectId}/members/${qa.userId}`, { method: 'PATCH', headers: { authorization: `Bearer ${manager.token}`, 'content-type': 'application/json' }, body: JSON.stringify({ role: 'reviewer' }) });
    expect(patch.status).toBe(200);

    const page = b.page;
    await login(page, app.url, 'manager');
    await page.click('[data-testid=project-card]');
    await page.click('role=tab[name="Audit log"]');
    await page.waitForSelector('[data-testid=audit-row]');
    const actions = () => page.locator('[data-testid=audit-row] td code').allTextContents();
    expect(new Set(await actions()).size).toBeGreaterThan(1);

    await page.selectOption('[data-testid=audit-action]', 'member.*');
    await page.waitForFunction(() => {
      const codes = [...document.querySelectorAll('[data-testid=audit-row] td code')].map((c) => c.textContent ?? '');
      return codes.length > 0 && codes.every((c) => c.startsWith('member.'));
    });
    await page.selectOption('[data-testid=audit-actor]', { label: 'manager' });
    await page.waitForSelector('[data-testid=audit-row] td code:text("member.update")');
    const shown = await actions();
    expect(shown.every((a) => a.startsWith('member.'))).toBe(true);

    const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid=audit-export]')]);
    expect(download.suggestedFilename()).toBe(`audit-${projectId}.csv`);
    const lines = (await readFile((await download.path())!, 'utf8')).trimEnd().split('\r\n');
    expect(lines[0]).toBe('id,at,actor_id,actor,action,subject,details');
    const rows = lines.slice(1).map((l) => l.split(','));
    expect(rows.map((r) => r[4])).toEqual(shown);
    expect(rows.every((r) => r[3] === 'manager')).toBe(true);
  });
});
