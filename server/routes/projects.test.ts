import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createUser, login } from '../services/auth.ts';
import { jsonHeaders, testApp } from '../testing/app.ts';

let t: ReturnType<typeof testApp>;
let admin: string;
let projectId: string;

beforeEach(async () => {
  t = testApp();
  await createUser(t.services, { username: 'boss', password: 'boss-pass', isAdmin: true }, null);
  await createUser(t.services, { username: 'ann', password: 'ann-pass' }, null);
  admin = (await login(t.services, 'boss', 'boss-pass')).token;
  const res = await call('POST', '/api/projects', { name: 'cars', description: 'street' });
  expect(res.status).toBe(201);
  projectId = ((await res.json()) as { id: string }).id;
});
afterEach(() => t.cleanup());

const call = (method: string, path: string, body?: unknown, token = admin) =>
  t.app.request(path, { method, headers: jsonHeaders(token), body: body === undefined ? undefined : JSON.stringify(body) });
const json = async <T = any>(r: Response | Promise<Response>) => (await r).json() as Promise<T>;

describe('projects and members', () => {
  it('makes the creator manager and lists the project with that role', async () => {
    expect(await json(call('GET', '/api/projects'))).toEqual({ items: [{ id: projectId, name: 'cars', description: 'street', role: 'manager', fourEyes: true }], next: null });
  });

  it('refuses a duplicate project name with 409', async () => {
    const r = await call('POST', '/api/projects', { name: 'cars' });
    expect(r.status).toBe(409);
  });

  it('adds a member, changes the role, and refuses to drop the last manager', async () => {
    const added = await call('POST', `/api/projects/${projectId}/members`, { username: 'ann', role: 'annotator' });
    expect(added.status).toBe(201);
    const ann = await json<{ userId: string }>(added);
    expect((await call('PATCH', `/api/projects/${projectId}/members/${ann.userId}`, { role: 'reviewer' })).status).toBe(200);
    const members = await json<{ items: { username: string; role: string }[] }>(call('GET', `/api/projects/${projectId}/members`));
    expect(members.items.map((m) => `${m.username}:${m.role}`)).toEqual(['ann:reviewer', 'boss:manager']);
    const me = members.items.find((m) => m.username === 'boss') as unknown as { userId: string };
    const demote = await call('PATCH', `/api/projects/${projectId}/members/${me.userId}`, { role: 'qa' });
    expect(demote.status).toBe(409);
    expect((await json(demote)).error.message).toMatch(/at least one manager/);
    expect((await call('POST', `/api/projects/${projectId}/members`, { username: 'ghost', role: 'qa' })).status).toBe(404);
    expect((await call('POST', `/api/projects/${projectId}/members`, { username: 'ann', role: 'king' })).status).toBe(400);
  });

  it('lets every member read the names of the project\'s people, and nothing more', async () => {
    await call('POST', `/api/projects/${projectId}/members`, { username: 'ann', role: 'annotator' });
    const annToken = (await login(t.services, 'ann', 'ann-pass')).token;
    const people = await json<{ items: Record<string, unknown>[] }>(call('GET', `/api/projects/${projectId}/people`, undefined, annToken));
    expect(people.items.map((p) => p.displayName).sort()).toEqual(['ann', 'boss']);
    expect(Object.keys(people.items[0]).sort()).toEqual(['displayName', 'userId']);
  });

  it('validates every query: unknown parameters are refused, small lists page by offset', async () => {
    for (const name of ['a', 'b', 'c']) await call('POST', `/api/projects/${projectId}/classes`, { name, color: '#112233' });
    const page = await json<{ items: { name: string }[]; next: string }>(call('GET', `/api/projects/${projectId}/classes?limit=2`));
    expect(page.items.map((c) => c.name)).toEqual(['a', 'b']);
    const rest = await json<{ items: { name: string }[]; next: string | null }>(call('GET', `/api/projects/${projectId}/classes?limit=2&cursor=${page.next}`));
    expect([rest.items.map((c) => c.name), rest.next]).toEqual([['c'], null]);
    for (const path of [`/api/projects/${projectId}/classes?foo=1`, `/api/projects/${projectId}?x=1`, '/api/me?verbose=1', `/api/projects/${projectId}/members?limit=abc`]) {
      const r = await call('GET', path);
      expect(r.status, path).toBe(400);
    }
    expect((await json(call('GET', `/api/projects/${projectId}/classes?foo=1`))).error.message).toContain('"foo"');
  });

  it('pages the audit log newest first', async () => {
    for (const name of ['a', 'b', 'c']) await call('POST', `/api/projects/${projectId}/classes`, { name, color: '#112233' });
    const first = await json<{ items: { action: string }[]; next: string }>(call('GET', `/api/projects/${projectId}/audit?limit=2`));
    expect(first.items.map((i) => i.action)).toEqual(['class.create', 'class.create']);
    const second = await json<{ items: { action: string }[]; next: string | null }>(call('GET', `/api/projects/${projectId}/audit?limit=2&cursor=${first.next}`));
    expect(second.items.map((i) => i.action)).toEqual(['class.create', 'project.create']);
    expect(second.next).toBeNull();
  });
});

describe('label classes', () => {
  it('creates, orders, renames keeping the id, and validates colour and hotkey', async () => {
    const car = await json<{ id: string; position: number }>(call('POST', `/api/projects/${projectId}/classes`, { name: 'car', color: '#ff0000', hotkey: '1' }));
    const dog = await json<{ id: string; position: number }>(call('POST', `/api/projects/${projectId}/classes`, { name: 'dog', color: '#00ff00' }));
    expect([car.position, dog.position]).toEqual([0, 1]);
    const renamed = await json<{ id: string; name: string }>(call('PATCH', `/api/projects/${projectId}/classes/${car.id}`, { name: 'vehicle' }));
    expect(renamed).toMatchObject({ id: car.id, name: 'vehicle' });
    const badColor = await call('POST', `/api/projects/${projectId}/classes`, { name: 'x', color: 'red' });
    expect(badColor.status).toBe(400);
    expect((await json(badColor)).error.message).toContain('"color"');
    expect((await call('POST', `/api/projects/${projectId}/classes`, { name: 'y', color: '#000000', hotkey: '1' })).status).toBe(409);
    const shortcut = await call('POST', `/api/projects/${projectId}/classes`, { name: 'z', color: '#000000', hotkey: 'b' });
    expect(shortcut.status).toBe(400);
    expect((await json(shortcut)).error.message).toContain("annotate page's own shortcuts");
    expect((await call('POST', `/api/projects/${projectId}/classes`, { name: 'dog', color: '#000000' })).status).toBe(409);
  });

  it('moves a class to a new position and renumbers the others', async () => {
    const ids: string[] = [];
    for (const name of ['a', 'b', 'c', 'd']) ids.push((await json<{ id: string }>(call('POST', `/api/projects/${projectId}/classes`, { name, color: '#101010' }))).id);
    await call('PATCH', `/api/projects/${projectId}/classes/${ids[3]}`, { position: 0 });
    await call('PATCH', `/api/projects/${projectId}/classes/${ids[1]}`, { position: 99 });
    const list = await json<{ items: { name: string; position: number }[] }>(call('GET', `/api/projects/${projectId}/classes`));
    expect(list.items.map((c) => `${c.position}:${c.name}`)).toEqual(['0:d', '1:a', '2:c', '3:b']);
  });

  it('refuses to delete a class that annotations use, naming how many', async () => {
    t.cleanup();
    // A fresh app whose usage counter reports the class in use.
    t = testApp({}, { classUsage: (_p, _c, name) => (name === 'car' ? 3 : 0) });
    const app = t.app;
    await createUser(t.services, { username: 'boss', password: 'boss-pass', isAdmin: true }, null);
    const token = (await login(t.services, 'boss', 'boss-pass')).token;
    const req = (m: string, p: string, b?: unknown) => app.request(p, { method: m, headers: jsonHeaders(token), body: b === undefined ? undefined : JSON.stringify(b) });
    const pid = (await json<{ id: string }>(req('POST', '/api/projects', { name: 'p' }))).id;
    const car = await json<{ id: string }>(req('POST', `/api/projects/${pid}/classes`, { name: 'car', color: '#ff0000' }));
    const dog = await json<{ id: string }>(req('POST', `/api/projects/${pid}/classes`, { name: 'dog', color: '#ff00ff' }));
    const refused = await req('DELETE', `/api/projects/${pid}/classes/${car.id}`);
    expect(refused.status).toBe(409);
    expect((await json(refused)).error.message).toBe('class "car" is used by 3 shapes; relabel or delete them first');
    expect((await req('DELETE', `/api/projects/${pid}/classes/${dog.id}`)).status).toBe(200);
    const left = await json<{ items: { name: string }[] }>(req('GET', `/api/projects/${pid}/classes`));
    expect(left.items.map((c) => c.name)).toEqual(['car']);
  });
});
