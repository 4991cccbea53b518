// The audit log page in real Chromium: a manager narrows the log to an action family and to one
// actor, and the CSV export downloads exactly the entries the filters show.
import { readFile } from 'node:fs/promises';
import { beforeAll, describe, expect, it } from 'vitest';
import { hasChromium, launch, login, useApp, type Browser } from './harness.ts';
import { apiLogin } from './node-client.ts';

describe.skipIf(!hasChromium)('audit log page in Chromium', () => {
  const app = useApp();
  let b: Browser;
  beforeAll(async () => {
    b = await app.open();
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

  it('administrators read the whole log: entries of no project (sign-ins) beside every project\'s, named', async () => {
    const a1 = await apiLogin(app.url, 'annotator1');
    const own = await launch(); // signed out, apart from the first test's browser
    try {
    const page = own.page;
    await login(page, app.url, 'manager'); // the demo's manager is its administrator
    await page.goto(app.url + '/');
    await page.click('[data-testid=admin-audit-link]');
    await page.waitForURL((u) => u.pathname === '/admin/audit');
    await page.waitForSelector('[data-testid=audit-row]');
    await page.selectOption('[data-testid=audit-action]', 'auth.login');
    await page.waitForFunction(() => {
      const codes = [...document.querySelectorAll('[data-testid=audit-row] td code')].map((c) => c.textContent ?? '');
      return codes.length > 0 && codes.every((c) => c === 'auth.login');
    });
    // annotator1's sign-in belongs to no project, and the Who menu now offers annotator1 by name.
    await page.selectOption('[data-testid=audit-actor]', { label: 'annotator1' });
    await page.waitForFunction((id) => {
      const rows = [...document.querySelectorAll('[data-testid=audit-row]')];
      return rows.length > 0 && rows.every((r) => r.querySelector('td:nth-child(3) button')?.textContent === 'annotator1');
    }, a1.user.id);
    expect(new Set(await page.locator('[data-testid=audit-project]').allTextContents())).toEqual(new Set(['—']));
    // A project's entries name it.
    await page.selectOption('[data-testid=audit-actor]', '');
    await page.selectOption('[data-testid=audit-action]', 'project.create');
    await page.waitForSelector('[data-testid=audit-row] td code:text("project.create")');
    expect(await page.locator('[data-testid=audit-project]').allTextContents()).toEqual(['demo']);
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid=audit-export]')]);
    expect(download.suggestedFilename()).toBe('audit.csv');
    const lines = (await readFile((await download.path())!, 'utf8')).trimEnd().split('\r\n');
    expect(lines[0]).toBe('id,at,project_id,project,actor_id,actor,action,subject,details');
    expect(lines.slice(1).map((l) => l.split(',')[3])).toEqual(['demo']);
    if (process.env.SCREENSHOTS === '1') {
      await page.selectOption('[data-testid=audit-action]', '');
      await page.waitForSelector('[data-testid=audit-project]:text-is("—")');
      await page.screenshot({ path: new URL('../../docs/screenshots/admin-audit.png', import.meta.url).pathname, fullPage: false });
    }
    expect(own.errors).toEqual([]);

    // Someone who is no administrator sees no link, and the page says why instead of a table.
    await page.click('button:text-is("Sign out")');
    await login(page, app.url, 'annotator1');
    await page.goto(app.url + '/');
    await page.waitForSelector('[data-testid=project-card]');
    expect(await page.locator('[data-testid=admin-audit-link]').count()).toBe(0);
    await page.goto(app.url + '/admin/audit');
    await page.waitForSelector('[data-testid=admin-only]');
    expect(await page.locator('[data-testid=audit-table]').count()).toBe(0);
    } finally {
      await own.close();
    }
  });
});
