// Adding a member by username does not tell a manager which accounts exist: a manager who is no
// administrator may add only people already in one of their projects where they see the member
// list; any other name, existing or not, gets one and the same 404. Administrators add anyone.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createUser, login } from '../services/auth.ts';
import { createProject, setMember } from '../services/projects.ts';
import { jsonHeaders, testApp } from '../testing/app.ts';

let t: ReturnType<typeof testApp>;
let adminToken: string;
let managerToken: string;
let projectId: string;

beforeEach(async () => {
  t = testApp();
  const admin = await createUser(t.services, { username: 'root', password: 'root-pass', isAdmin: true }, null);
  const mgr = await createUser(t.services, { username: 'mia', password: 'mia-pass' }, null);
  for (const u of ['colleague', 'annotee', 'stranger']) await createUser(t.services, { username: u, password: `${u}-pass` }, null);
  adminToken = (await login(t.services, 'root', 'root-pass')).token;
  managerToken = (await login(t.services, 'mia', 'mia-pass')).token;
  // mia manages "cars"; in "bikes" she is a reviewer beside "colleague"; in "boats" an annotator
  // (who cannot read the member list) beside "annotee"; "stranger" shares nothing with her.
  projectId = (await createProject(t.services, admin, { name: 'cars' })).id;
  await setMember(t.services, admin.id, projectId as never, 'mia', 'manager');
  const bikes = (await createProject(t.services, admin, { name: 'bikes' })).id;
  await setMember(t.services, admin.id, bikes, 'mia', 'reviewer');
  await setMember(t.services, admin.id, bikes, 'colleague', 'annotator');
  const boats = (await createProject(t.services, admin, { name: 'boats' })).id;
  await setMember(t.services, admin.id, boats, 'mia', 'annotator');
  await setMember(t.services, admin.id, boats, 'annotee', 'annotator');
});
afterEach(() => t.cleanup());

const add = async (username: string, token: string) => {
  const res = await t.app.request(`/api/projects/${projectId}/members`, { method: 'POST', headers: jsonHeaders(token), body: JSON.stringify({ username, role: 'annotator' }) });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
};
const memberNames = () =>
  t.db.$client.prepare('select u.username from memberships m join users u on u.id = m.user_id where m.project_id = ? order by 1').pluck().all(projectId);

describe('adding a member by username', () => {
  it('answers a non-admin manager the same for an existing stranger and a name nobody has, and adds neither', async () => {
    const stranger = await add('stranger', managerToken);
    const nobody = await add('stranger2', managerToken);
    const annotee = await add('annotee', managerToken);
    expect(stranger.status).toBe(404);
    expect(stranger.body).toEqual({ error: { code: 'not_found', message: expect.stringContaining('"stranger"') } });
    // Identical but for the name itself.
    expect(JSON.stringify(nobody)).toBe(JSON.stringify(stranger).replaceAll('\\"stranger\\"', '\\"stranger2\\"'));
    expect(JSON.stringify(annotee)).toBe(JSON.stringify(stranger).replaceAll('\\"stranger\\"', '\\"annotee\\"'));
    expect(memberNames()).toEqual(['mia', 'root']);
  });

  it('lets a non-admin manager add someone from a project where they see the member list, and change an existing member', async () => {
    expect((await add('colleague', managerToken)).status).toBe(201);
    expect(memberNames()).toEqual(['colleague', 'mia', 'root']);
    expect((await add('colleague', managerToken)).status).toBe(201);
  });

  it('lets an administrator add any account, and says plainly when there is none', async () => {
    expect((await add('stranger', adminToken)).status).toBe(201);
    const none = await add('ghost', adminToken);
    expect(none.status).toBe(404);
    expect(memberNames()).toEqual(['mia', 'root', 'stranger']);
  });
});
