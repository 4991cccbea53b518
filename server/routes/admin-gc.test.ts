// POST /api/admin/blobs/gc: administrators only, a dry run deletes nothing, the grace period is
// validated and named when wrong, and a real run deletes an old orphan on disk.
import { existsSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createUser, login } from '../services/auth.ts';
import { jsonHeaders, testApp } from '../testing/app.ts';

let t: ReturnType<typeof testApp>;
afterEach(() => t.cleanup());

describe('admin blob collection route', () => {
  it('collects an old orphan for an administrator, refuses others, and reports a dry run', async () => {
    t = testApp();
    await createUser(t.services, { username: 'root', password: 'root-pass', isAdmin: true }, null);
    await createUser(t.services, { username: 'mia', password: 'mia-pass' }, null);
    const root = (await login(t.services, 'root', 'root-pass')).token;
    const mia = (await login(t.services, 'mia', 'mia-pass')).token;
    const orphan = await t.services.blobs.put(new TextEncoder().encode('orphan'));
    const file = join(t.config.dataDir, 'blobs', orphan.sha256.slice(0, 2), orphan.sha256);
    const old = new Date(Date.now() - 72 * 3600 * 1000);
    utimesSync(file, old, old);
    const gc = (token: string, body: unknown) => t.app.request('/api/admin/blobs/gc', { method: 'POST', headers: jsonHeaders(token), body: JSON.stringify(body) });

    expect((await gc(mia, {})).status).toBe(403);
    const bad = await gc(root, { graceHours: 0 });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { message: string } }).error.message).toContain('"graceHours"');

    const dry = await gc(root, { dryRun: true });
    expect(dry.status).toBe(200);
    expect(await dry.json()).toMatchObject({ dryRun: true, scanned: 1, deleted: [{ sha256: orphan.sha256, size: 6 }] });
    expect(existsSync(file)).toBe(true);

    const real = await gc(root, { graceHours: 48 });
    expect(await real.json()).toMatchObject({ dryRun: false, deleted: [{ sha256: orphan.sha256 }], bytes: 6 });
    expect(existsSync(file)).toBe(false);
    const audited = t.db.$client.prepare("select count(*) from audit_log where action = 'blob.gc'").pluck().get();
    expect(audited).toBe(2);
  });
});
