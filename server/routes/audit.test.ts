// The audit log API over real service actions: filters by actor, action (exact or family),
// subject and time; the actions menu; CSV export of what the filters match (formulas defused);
// bad filters are a 400 naming the field.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ProjectId, UserId } from '../../shared/ids.ts';
import { createUser, login } from '../services/auth.ts';
import { createClass } from '../services/classes.ts';
import { createProject, removeMember, setMember } from '../services/projects.ts';
import { jsonHeaders, testApp } from '../testing/app.ts';

let t: ReturnType<typeof testApp>;
let token: string;
let projectId: ProjectId;
let bossId: UserId;
let annId: UserId;

beforeEach(async () => {
  t = testApp();
  const boss = await createUser(t.services, { username: 'boss', password: 'boss-pass', isAdmin: true }, null);
  const ann = await createUser(t.services, { username: 'ann', password: 'ann-pass' }, null);
  bossId = boss.id;
  annId = ann.id;
  projectId = (await createProject(t.services, boss, { name: 'cars' })).id;
  await setMember(t.services, boss.id, projectId, 'ann', 'annotator');
  await setMember(t.services, boss.id, projectId, 'ann', 'manager');
  await createClass(t.services, ann.id, projectId, { name: '=HYPERLINK("http://x")', color: '#ff0000' });
  await removeMember(t.services, ann.id, projectId, boss.id);
  // ann manages the project now (boss, no member any more, may not read its log).
  token = (await login(t.services, 'ann', 'ann-pass')).token;
});
afterEach(() => t.cleanup());

type Page = { items: { id: number; at: number; actorId: string | null; action: string; subject: string }[]; next: string | null };
const get = (path: string) => t.app.request(path, { headers: jsonHeaders(token) });
const page = async (query: string) => {
  const res = await get(`/api/projects/${projectId}/audit${query}`);
  expect(res.status).toBe(200);
  return (await res.json()) as Page;
};
const actionsOf = async (query: string) => (await page(query)).items.map((i) => i.action);

describe('audit log API', () => {
  it('lists every action of the project, newest first, and filters by actor, action, family and subject', async () => {
    expect(await actionsOf('')).toEqual(['member.remove', 'class.create', 'member.update', 'member.add', 'project.create']);
    expect(await actionsOf(`?actor=${annId}`)).toEqual(['member.remove', 'class.create']);
    expect(await actionsOf(`?actor=${bossId}&action=member.*`)).toEqual(['member.update', 'member.add']);
    expect(await actionsOf('?action=member.add')).toEqual(['member.add']);
    expect(await actionsOf(`?subject=${annId}`)).toEqual(['member.update', 'member.add']);
    expect(await actionsOf('?actor=system')).toEqual([]);
    const actions = (await (await get(`/api/projects/${projectId}/audit/actions`)).json()) as { items: string[] };
    expect(actions.items).toEqual(['class.create', 'member.add', 'member.remove', 'member.update', 'project.create']);
  });

  it('filters by time (since inclusive, until exclusive; ISO or epoch ms) and pages with the filter kept', async () => {
    const all = (await page('')).items;
    const mid = all[2].at;
    for (let i = 0; i < 3; i++) await t.services.data.audit.append({ at: mid, actorId: null, projectId, action: 'blob.gc', subject: '', details: null });
    const since = await page(`?since=${new Date(mid).toISOString()}&action=blob.gc`);
    expect(since.items).toHaveLength(3);
    expect(await actionsOf(`?until=${mid}&action=blob.gc`)).toEqual([]);
    expect((await page(`?since=${mid + 1}`)).items.every((i) => i.at > mid)).toBe(true);
    const first = await page('?actor=system&limit=2');
    expect(first.items).toHaveLength(2);
    const rest = await page(`?actor=system&limit=2&cursor=${first.next}`);
    expect(rest.items.map((i) => i.action)).toEqual(['blob.gc']);
    expect(rest.next).toBeNull();
  });

  it('exports what the filters match as CSV, with usernames and defused formulas', async () => {
    const res = await get(`/api/projects/${projectId}/audit/export?actor=${annId}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toBe(`attachment; filename="audit-${projectId}.csv"`);
    expect(res.headers.get('x-audit-rows')).toBe('2');
    const lines = (await res.text()).trimEnd().split('\r\n');
    expect(lines[0]).toBe('id,at,actor_id,actor,action,subject,details');
    expect(lines).toHaveLength(3);
    // Ids are random: one that opens with a formula character (- + = @) is defused with a quote too.
    const cell = (v: string) => (/^[-+=@]/.test(v) ? `'${v}` : v);
    expect(lines[1]).toMatch(new RegExp(`^\\d+,\\d{4}-\\d\\d-\\d\\dT[\\d:.]+Z,${cell(annId)},ann,member\\.remove,${cell(bossId)},`));
    expect(lines[2]).toContain(',ann,class.create,');
    // The class name a member typed stays inside the quoted JSON cell: no cell opens with "=".
    expect(lines[2]).toContain('""name"":""=HYPERLINK');
    expect(lines.some((l) => /,=/.test(l))).toBe(false);
  });

  it('answers a bad filter with a 400 naming the field', async () => {
    for (const [query, field] of [['?since=yesterday', 'since'], ['?action=DROP%20TABLE', 'action'], ['?limit=0', 'limit'], ['?color=red', 'color']] as const) {
      const res = await get(`/api/projects/${projectId}/audit${query}`);
      expect(res.status).toBe(400);
      expect(((await res.json()) as { error: { message: string } }).error.message).toContain(`"${field}"`);
    }
    expect((await get(`/api/projects/${projectId}/audit/export?until=soon`)).status).toBe(400);
  });
});

describe('the whole audit log (administrators)', () => {
  const admin = async () => (await login(t.services, 'boss', 'boss-pass')).token;
  const getAs = (tk: string, path: string) => t.app.request(path, { headers: jsonHeaders(tk) });

  it('holds every project and the entries of none (sign-ins, accounts), with names, filters and paging', async () => {
    const other = (await createProject(t.services, (await t.services.data.users.byId(bossId))!, { name: 'bikes' })).id;
    const tk = await admin();
    const res = await getAs(tk, '/api/admin/audit?limit=100');
    expect(res.status).toBe(200);
    const all = ((await res.json()) as { items: { action: string; projectId: string | null; projectName: string | null; actorName: string | null; actorId: string | null }[] }).items;
    // Newest first: boss's sign-in just now, then the second project, then everything from beforeEach.
    expect(all.map((i) => [i.action, i.projectName])).toEqual([
      ['auth.login', null],
      ['project.create', 'bikes'],
      ['auth.login', null],
      ['member.remove', 'cars'],
      ['class.create', 'cars'],
      ['member.update', 'cars'],
      ['member.add', 'cars'],
      ['project.create', 'cars'],
      ['user.create', null],
      ['user.create', null],
    ]);
    expect(all[1]).toMatchObject({ projectId: other, actorId: bossId, actorName: 'boss' });
    expect(all[2]).toMatchObject({ actorId: annId, actorName: 'ann', projectId: null });
    const logins = (await (await getAs(tk, `/api/admin/audit?action=auth.*&actor=${annId}`)).json()) as { items: { action: string }[] };
    expect(logins.items.map((i) => i.action)).toEqual(['auth.login']);
    const first = (await (await getAs(tk, '/api/admin/audit?limit=3')).json()) as { items: { action: string }[]; next: string };
    const rest = (await (await getAs(tk, `/api/admin/audit?limit=100&cursor=${first.next}`)).json()) as { items: { action: string }[] };
    expect([...first.items, ...rest.items].map((i) => i.action)).toEqual(all.map((i) => i.action));
    const actions = (await (await getAs(tk, '/api/admin/audit/actions')).json()) as { items: string[] };
    expect(actions.items).toEqual(['auth.login', 'class.create', 'member.add', 'member.remove', 'member.update', 'project.create', 'user.create']);
  });

  it('exports with each entry\'s project, and refuses managers who are no administrators', async () => {
    const tk = await admin();
    const res = await getAs(tk, '/api/admin/audit/export?action=project.create');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="audit.csv"');
    const lines = (await res.text()).trimEnd().split('\r\n');
    expect(lines[0]).toBe('id,at,project_id,project,actor_id,actor,action,subject,details');
    const cell = (v: string) => (/^[-+=@]/.test(v) ? `'${v}` : v);
    expect(lines.slice(1)).toEqual([expect.stringMatching(new RegExp(`^\\d+,[^,]+,${cell(projectId)},cars,${cell(bossId)},boss,project\\.create,`))]);
    // ann manages "cars" but is no administrator: the whole log is not hers to read.
    for (const path of ['/api/admin/audit', '/api/admin/audit/actions', '/api/admin/audit/export']) expect((await get(path)).status).toBe(403);
    expect((await getAs(tk, '/api/admin/audit?project=x')).status).toBe(400);
  });
});
