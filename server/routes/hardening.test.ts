// Issue 7, finding 10: security headers (CSP with frame-ancestors, no HSTS over plain http), the
// Secure cookie over TLS, malformed percent-encoding answered 400, and cleaned file names.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterEach, describe, expect, it } from 'vitest';
import { createUser, login } from '../services/auth.ts';
import { jsonHeaders, testApp } from '../testing/app.ts';
import { tempDir } from '../testing/fixtures.ts';

let t: ReturnType<typeof testApp>;
const cleanups: (() => void)[] = [];
afterEach(() => {
  t.cleanup();
  cleanups.splice(0).forEach((f) => f());
});

const signIn = (headers: Record<string, string> = {}) =>
  t.app.request('/api/auth/login', { method: 'POST', headers: { ...jsonHeaders(), ...headers }, body: JSON.stringify({ username: 'ann', password: 'ann-password' }) });

describe('security headers', () => {
  it('sends a Content-Security-Policy that forbids framing, and no HSTS over plain http', async () => {
    t = testApp();
    const res = await t.app.request('/health');
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("object-src 'none'");
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    expect(res.headers.get('strict-transport-security')).toBeNull();
  });

  it('sends HSTS and a Secure cookie only over https (directly, or as a trusted proxy reports it)', async () => {
    t = testApp({ trustProxy: true });
    await createUser(t.services, { username: 'ann', password: 'ann-password' }, null);
    const plain = await signIn();
    expect(plain.headers.get('set-cookie')).not.toMatch(/Secure/);
    expect(plain.headers.get('strict-transport-security')).toBeNull();
    const tls = await signIn({ 'x-forwarded-proto': 'https' });
    expect(tls.status).toBe(200);
    expect(tls.headers.get('set-cookie')).toMatch(/; Secure/);
    expect(tls.headers.get('strict-transport-security')).toMatch(/max-age=\d+/);
    t.cleanup();
    // Without trusting a proxy, its header means nothing.
    t = testApp();
    await createUser(t.services, { username: 'ann', password: 'ann-password' }, null);
    expect((await signIn({ 'x-forwarded-proto': 'https' })).headers.get('set-cookie')).not.toMatch(/Secure/);
  });
});

describe('malformed input', () => {
  it('answers a static path with a malformed % with 400, not 500', async () => {
    const d = tempDir();
    cleanups.push(d.cleanup);
    mkdirSync(join(d.dir, 'assets'));
    writeFileSync(join(d.dir, 'index.html'), '<!doctype html>');
    t = testApp({ clientDir: d.dir });
    const res = await t.app.request('/assets/%E0%A4%A.js');
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/malformed percent-encoding/);
    expect((await t.app.request('/index.html')).status).toBe(200);
  });

  it('stores upload file names without control characters or bidi overrides, at most 255 characters', async () => {
    t = testApp();
    await createUser(t.services, { username: 'boss', password: 'boss-pass', isAdmin: true }, null);
    const token = (await login(t.services, 'boss', 'boss-pass')).token;
    const p = await t.app.request('/api/projects', { method: 'POST', headers: jsonHeaders(token), body: JSON.stringify({ name: 'names' }) });
    const projectId = ((await p.json()) as { id: string }).id;
    const png = await sharp({ create: { width: 4, height: 4, channels: 3, background: '#123456' } }).png().toBuffer();
    const form = new FormData();
    form.append('files', new Blob([png]), 'cat\u202egnp.exe\u0007.png');
    form.append('files', new Blob([await sharp({ create: { width: 5, height: 4, channels: 3, background: '#654321' } }).png().toBuffer()]), `${'x'.repeat(400)}.png`);
    const res = await t.app.request(`/api/projects/${projectId}/images`, { method: 'POST', headers: { Authorization: `Bearer ${token}` }, body: form });
    expect(res.status).toBe(201);
    const names = t.db.$client.prepare('select file_name from images where project_id = ? order by file_name').pluck().all(projectId) as string[];
    expect(names).toContain('catgnp.exe.png');
    const long = names.find((n) => n.startsWith('xxx'))!;
    expect(long).toHaveLength(255);
    expect(long.endsWith('.png')).toBe(true);
  });
});
