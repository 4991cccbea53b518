// The contract every DataStore adapter passes (SQLite, memory; PostgreSQL later): what each
// repository returns, conflicts on unique fields, and the transaction boundary (all or nothing,
// serialised read-then-write, nothing uncommitted seen from outside).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ClassId, ImageId, ProjectId, Sha256, UserId } from '../../shared/ids.ts';
import type { ImageRecord } from './images.ts';
import { WHOLE_LOG, type AuditFilter } from './audit.ts';
import type { DataStore } from './repositories.ts';

export interface DataStoreFixture {
  store: DataStore;
  close(): void | Promise<void>;
}

const uid = (s: string) => s as UserId;
const pid = (s: string) => s as ProjectId;
const iid = (s: string) => s as ImageId;
const cid = (s: string) => s as ClassId;
const sha = (c: string) => c.repeat(64).slice(0, 64) as Sha256;

/** A promise and the function that resolves it: holds a transaction open until the test says so. */
function gate() {
  let open!: () => void;
  const p = new Promise<void>((r) => (open = r));
  return { p, open };
}

/** One named check; it runs against the store it is given. */
export interface RepositoriesCheck {
  name: string;
  run(store: DataStore): Promise<void>;
}

/**
 * Every check of the contract, in order ("group: what it checks"). Plain functions, so that a test
 * can also run them against a broken store and see them fail; `repositoriesContract` registers them
 * as vitest tests, each on a fresh store.
 */
export const repositoriesChecks: RepositoriesCheck[] = collectChecks();

export function repositoriesContract(name: string, make: () => DataStoreFixture | Promise<DataStoreFixture>) {
  describe(`repositories contract: ${name}`, () => {
    let f: DataStoreFixture;
    beforeEach(async () => {
      f = await make();
    });
    afterEach(() => f.close());
    for (const check of repositoriesChecks) it(check.name, () => check.run(f.store));
  });
}

/** Runs every check on a fresh store each, one after another; the names of those that failed. */
export async function failedChecks(make: () => DataStoreFixture | Promise<DataStoreFixture>): Promise<string[]> {
  const failed: string[] = [];
  for (const check of repositoriesChecks) {
    const f = await make();
    try {
      await check.run(f.store);
    } catch {
      failed.push(check.name);
    } finally {
      await f.close();
    }
  }
  return failed;
}

/** The checks, written as vitest-style groups: `describe` names a group, `it` adds a check. */
function collectChecks(): RepositoriesCheck[] {
  const checks: RepositoriesCheck[] = [];
  let s!: DataStore;
  let group = '';
  const describe = (name: string, body: () => void) => ((group = name), body());
  const it = (name: string, fn: () => Promise<void>) => checks.push({ name: `${group}: ${name}`, run: (store) => ((s = store), fn()) });
  const user = async (name: string, isAdmin = false) => {
    const u = { id: uid(`u-${name}`), username: name, displayName: name.toUpperCase(), passwordHash: `hash-${name}`, isAdmin, createdAt: 1 };
    await s.users.insert(u);
    return u;
  };
  const project = async (name: string, by: UserId) => {
    const p = { id: pid(`p-${name}`), name, description: '', createdAt: 2, createdBy: by };
    await s.projects.insert(p);
    return p;
  };
  const image = async (projectId: ProjectId, by: UserId, name: string, extra: Partial<ImageRecord> = {}) => {
    const r: ImageRecord = {
      id: iid(`i-${projectId}-${name}`),
      projectId,
      sha256: sha(name.charCodeAt(0).toString(16)),
      fileName: name,
      mime: 'image/png',
      width: 10,
      height: 20,
      orientation: 1,
      thumbSha256: null,
      status: 'new',
      assigneeId: null,
      createdAt: 3,
      createdBy: by,
      ...extra,
    };
    await s.blobs.insertIfAbsent({ sha256: r.sha256, size: 5, mime: r.mime, createdAt: 3 });
    if (r.thumbSha256) await s.blobs.insertIfAbsent({ sha256: r.thumbSha256, size: 2, mime: 'image/webp', createdAt: 3 });
    await s.images.insert(r);
    return r;
  };

  describe('users and tokens', () => {
    it('finds users by id and name, and refuses a taken username', async () => {
      const a = await user('ann', true);
      expect(await s.users.byId(a.id)).toEqual(a);
      expect(await s.users.byUsername('ann')).toEqual(a);
      expect(await s.users.byUsername('nobody')).toBeNull();
      await expect(s.users.insert({ ...a, id: uid('other') })).rejects.toMatchObject({ code: 'conflict' });
    });

    it('resolves unrevoked tokens by secret hash, lists by kind, revokes', async () => {
      const a = await user('ann');
      const t = { id: 't1', secretHash: 'h1', userId: a.id, kind: 'api' as const, name: 'ci', createdAt: 5, expiresAt: null, revokedAt: null };
      await s.tokens.insert(t);
      await s.tokens.insert({ ...t, id: 't2', secretHash: 'h2', kind: 'session', name: '', expiresAt: 99 });
      await s.tokens.insert({ ...t, id: 't3', secretHash: 'h3', name: 'later', createdAt: 6 });
      expect(await s.tokens.unrevokedBySecretHash('h1')).toEqual({ token: t, user: a });
      expect(await s.tokens.unrevokedBySecretHash('nope')).toBeNull();
      expect((await s.tokens.listByUser(a.id, 'api')).map((x) => x.id)).toEqual(['t1', 't3']);
      expect(await s.tokens.revoke('t1', 7)).toBe(true);
      expect(await s.tokens.revoke('missing', 7)).toBe(false);
      expect(await s.tokens.unrevokedBySecretHash('h1')).toBeNull();
      expect(await s.tokens.byId('t1')).toEqual({ ...t, revokedAt: 7 });
      expect(await s.tokens.byId('t2')).toMatchObject({ kind: 'session', expiresAt: 99 });
    });

    it('revokes every unrevoked token of one user, sessions and API tokens, and no one else\'s', async () => {
      const a = await user('ann');
      const b = await user('bob');
      const t = { id: 'a1', secretHash: 'ha1', userId: a.id, kind: 'api' as const, name: 'ci', createdAt: 5, expiresAt: null, revokedAt: null };
      await s.tokens.insert(t);
      await s.tokens.insert({ ...t, id: 'a2', secretHash: 'ha2', kind: 'session', name: '' });
      await s.tokens.insert({ ...t, id: 'a3', secretHash: 'ha3', revokedAt: 4 });
      await s.tokens.insert({ ...t, id: 'b1', secretHash: 'hb1', userId: b.id });
      expect(await s.tokens.revokeAllOfUser(a.id, 9)).toBe(2);
      expect((await s.tokens.byId('a1'))?.revokedAt).toBe(9);
      expect((await s.tokens.byId('a2'))?.revokedAt).toBe(9);
      expect((await s.tokens.byId('a3'))?.revokedAt).toBe(4);
      expect((await s.tokens.byId('b1'))?.revokedAt).toBeNull();
      expect(await s.tokens.revokeAllOfUser(a.id, 10)).toBe(0);
    });
  });

  describe('projects, members, classes', () => {
    it('tells the roles a user holds in the projects another user is also in', async () => {
      const a = await user('ann');
      const b = await user('bob');
      const c = await user('cid');
      const p1 = (await project('one', a.id)).id;
      const p2 = (await project('two', b.id)).id;
      const p3 = (await project('three', c.id)).id;
      await s.members.put({ projectId: p1, userId: a.id, role: 'manager', createdAt: 1 });
      await s.members.put({ projectId: p1, userId: b.id, role: 'annotator', createdAt: 1 });
      await s.members.put({ projectId: p2, userId: a.id, role: 'qa', createdAt: 1 });
      await s.members.put({ projectId: p2, userId: b.id, role: 'manager', createdAt: 1 });
      await s.members.put({ projectId: p3, userId: c.id, role: 'manager', createdAt: 1 });
      expect((await s.members.rolesBeside(a.id, b.id)).sort()).toEqual(['manager', 'qa']);
      expect(await s.members.rolesBeside(a.id, c.id)).toEqual([]);
      expect(await s.members.rolesBeside(c.id, a.id)).toEqual([]);
    });
    it('lists a member\'s projects by name with their role, paged after a name', async () => {
      const a = await user('ann');
      const b = await user('bob');
      for (const n of ['zeta', 'alpha', 'mid']) await project(n, a.id);
      await project('bobs', b.id);
      for (const n of ['zeta', 'alpha', 'mid']) await s.members.put({ projectId: pid(`p-${n}`), userId: a.id, role: n === 'mid' ? 'qa' : 'manager', createdAt: 4 });
      const all = await s.projects.listForMember(a.id, { limit: 10 });
      expect(all.map((p) => [p.name, p.role])).toEqual([['alpha', 'manager'], ['mid', 'qa'], ['zeta', 'manager']]);
      expect((await s.projects.listForMember(a.id, { limit: 1, after: 'alpha' })).map((p) => p.name)).toEqual(['mid']);
      expect(await s.projects.byName('bobs')).toMatchObject({ id: 'p-bobs', createdBy: b.id });
      await expect(project('alpha', b.id)).rejects.toMatchObject({ code: 'conflict' });
      await s.projects.update(pid('p-mid'), { description: 'middle' });
      expect(await s.projects.byId(pid('p-mid'))).toMatchObject({ name: 'mid', description: 'middle' });
    });

    it('adds members, changes roles in place, counts and removes them', async () => {
      const a = await user('ann');
      const b = await user('bob');
      const p = await project('p', a.id);
      await s.members.put({ projectId: p.id, userId: b.id, role: 'annotator', createdAt: 4 });
      await s.members.put({ projectId: p.id, userId: a.id, role: 'manager', createdAt: 4 });
      await s.members.put({ projectId: p.id, userId: b.id, role: 'manager', createdAt: 9 });
      expect(await s.members.get(p.id, b.id)).toEqual({ projectId: p.id, userId: b.id, role: 'manager', createdAt: 4 });
      expect(await s.members.list(p.id)).toEqual([
        { userId: a.id, username: 'ann', displayName: 'ANN', role: 'manager' },
        { userId: b.id, username: 'bob', displayName: 'BOB', role: 'manager' },
      ]);
      expect(await s.members.countWithRole(p.id, 'manager')).toBe(2);
      expect(await s.members.remove(p.id, b.id)).toBe(true);
      expect(await s.members.remove(p.id, b.id)).toBe(false);
      expect(await s.members.get(p.id, b.id)).toBeNull();
      expect(await s.members.countWithRole(p.id, 'manager')).toBe(1);
    });

    it('keeps classes in position order, finds them by name or hotkey, refuses a taken name', async () => {
      const a = await user('ann');
      const p = await project('p', a.id);
      const q = await project('q', a.id);
      const c = (id: string, name: string, position: number, projectId = p.id) => ({ id: cid(id), projectId, name, color: '#000000', hotkey: null, position, createdAt: 1 });
      await s.classes.insert(c('c2', 'dog', 1));
      await s.classes.insert({ ...c('c1', 'cat', 0), hotkey: '1' });
      await s.classes.insert(c('c3', 'cat', 0, q.id));
      expect((await s.classes.list(p.id)).map((x) => x.name)).toEqual(['cat', 'dog']);
      expect(await s.classes.findBy(p.id, 'hotkey', '1')).toMatchObject({ id: 'c1' });
      expect(await s.classes.findBy(p.id, 'name', 'dog')).toMatchObject({ id: 'c2' });
      expect(await s.classes.findBy(p.id, 'name', 'emu')).toBeNull();
      expect(await s.classes.get(q.id, cid('c1'))).toBeNull();
      await expect(s.classes.insert(c('c4', 'dog', 2))).rejects.toMatchObject({ code: 'conflict' });
      await s.classes.update(cid('c1'), { position: 2, hotkey: null, name: 'kitten' });
      expect(await s.classes.get(p.id, cid('c1'))).toMatchObject({ name: 'kitten', hotkey: null, position: 2 });
      expect(await s.classes.remove(cid('c2'))).toBe(true);
      expect((await s.classes.list(p.id)).map((x) => x.id)).toEqual(['c1']);
    });
  });

  describe('images and blobs', () => {
    it('pages images in (file name, id) order with status and assignee filters', async () => {
      const a = await user('ann');
      const p = await project('p', a.id);
      await s.members.put({ projectId: p.id, userId: a.id, role: 'annotator', createdAt: 1 });
      for (const n of ['c.png', 'a.png', 'b.png', 'd.png']) await image(p.id, a.id, n, n === 'b.png' || n === 'd.png' ? { assigneeId: a.id, status: 'assigned' } : {});
      const names = (rs: ImageRecord[]) => rs.map((r) => r.fileName);
      expect(names(await s.images.list(p.id, {}, { limit: 10 }))).toEqual(['a.png', 'b.png', 'c.png', 'd.png']);
      const first = await s.images.list(p.id, {}, { limit: 2 });
      expect(names(await s.images.list(p.id, {}, { limit: 2, after: first[1] }))).toEqual(['c.png', 'd.png']);
      expect(names(await s.images.list(p.id, { assigneeId: null }, { limit: 10 }))).toEqual(['a.png', 'c.png']);
      expect(names(await s.images.list(p.id, { assigneeId: a.id, status: 'assigned' }, { limit: 10 }))).toEqual(['b.png', 'd.png']);
      expect(names(await s.images.list(p.id, { status: 'approved' }, { limit: 10 }))).toEqual([]);
      expect((await s.images.listAll(p.id)).map((r) => [r.fileName, r.width, r.height])).toEqual([['a.png', 10, 20], ['b.png', 10, 20], ['c.png', 10, 20], ['d.png', 10, 20]]);
    });

    it('counts images by (assignee, status), for one assignee or all', async () => {
      const a = await user('ann');
      const b = await user('bob');
      const p = await project('p', a.id);
      const q = await project('q', a.id);
      await image(p.id, a.id, 'a.png', { assigneeId: a.id, status: 'assigned' });
      await image(p.id, a.id, 'b.png', { assigneeId: a.id, status: 'assigned' });
      await image(p.id, a.id, 'c.png', { assigneeId: b.id, status: 'submitted' });
      await image(p.id, a.id, 'd.png');
      await image(q.id, a.id, 'e.png', { assigneeId: a.id, status: 'approved' });
      const rows = (r: { assigneeId: string | null; status: string; count: number }[]) => r.map((x) => `${x.assigneeId ?? '-'} ${x.status} ${x.count}`).sort();
      expect(rows(await s.images.countByStatus(p.id))).toEqual([`- new 1`, `${a.id} assigned 2`, `${b.id} submitted 1`].sort());
      expect(rows(await s.images.countByStatus(p.id, b.id))).toEqual([`${b.id} submitted 1`]);
    });

    it('looks images up by id, bytes and id list, and refuses the same bytes twice in a project', async () => {
      const a = await user('ann');
      const p = await project('p', a.id);
      const q = await project('q', a.id);
      const x = await image(p.id, a.id, 'x.png');
      const y = await image(q.id, a.id, 'y.png');
      expect(await s.images.byId(x.id)).toEqual(x);
      expect(await s.images.bySha(p.id, x.sha256)).toEqual(x);
      expect(await s.images.bySha(q.id, x.sha256)).toBeNull();
      expect((await s.images.byIds(p.id, [x.id, y.id, iid('missing')])).map((r) => r.id)).toEqual([x.id]);
      await expect(s.images.insert({ ...x, id: iid('again') })).rejects.toMatchObject({ code: 'conflict' });
    });

    it('assigns, and moves status only from the expected one', async () => {
      const a = await user('ann');
      const p = await project('p', a.id);
      const x = await image(p.id, a.id, 'x.png');
      await s.images.setAssignment(x.id, a.id, 'assigned');
      expect(await s.images.byId(x.id)).toMatchObject({ assigneeId: a.id, status: 'assigned' });
      expect(await s.images.moveStatus(x.id, 'new', 'in_progress')).toBe(false);
      expect(await s.images.moveStatus(x.id, 'assigned', 'in_progress')).toBe(true);
      expect(await s.images.moveStatus(x.id, 'assigned', 'in_progress')).toBe(false);
      expect((await s.images.byId(x.id))?.status).toBe('in_progress');
      expect(await s.images.statusOf(x.id)).toEqual({ projectId: p.id, status: 'in_progress' });
      expect(await s.images.statusOf(iid('missing'))).toBeNull();
    });

    it('names the holders of a blob (image or thumbnail) among the caller\'s projects, and known thumbnails', async () => {
      const a = await user('ann');
      const b = await user('bob');
      const p = await project('p', a.id);
      const q = await project('q', a.id);
      await s.members.put({ projectId: p.id, userId: b.id, role: 'annotator', createdAt: 1 });
      const x = await image(p.id, a.id, 'x.png', { thumbSha256: sha('e'), assigneeId: b.id });
      await image(q.id, a.id, 'x.png', { thumbSha256: sha('e') });
      expect(await s.images.blobHolders(x.sha256, b.id)).toEqual([{ role: 'annotator', assigneeId: b.id }]);
      expect(await s.images.blobHolders(sha('e'), b.id)).toEqual([{ role: 'annotator', assigneeId: b.id }]);
      expect(await s.images.blobHolders(x.sha256, a.id)).toEqual([]);
      expect(await s.images.thumbnailOf(x.sha256)).toEqual({ sha256: sha('e'), size: 2 });
      expect(await s.images.thumbnailOf(sha('f'))).toBeNull();
    });

    it('tells which blobs images use (bytes or thumbnails, any project) and forgets blob metadata', async () => {
      const a = await user('ann');
      const p = await project('p', a.id);
      const q = await project('q', a.id);
      const x = await image(p.id, a.id, 'x.png', { thumbSha256: sha('e') });
      const y = await image(q.id, a.id, 'y.png', { sha256: sha('y') });
      await s.blobs.insertIfAbsent({ sha256: sha('z'), size: 1, mime: 'image/png', createdAt: 1 });
      expect((await s.images.blobsInUse([x.sha256, sha('e'), y.sha256, sha('z'), sha('e')])).sort()).toEqual([x.sha256, sha('e'), y.sha256].sort());
      expect(await s.images.blobsInUse([])).toEqual([]);
      expect(await s.blobs.remove(sha('z'))).toBe(true);
      expect(await s.blobs.get(sha('z'))).toBeNull();
      expect(await s.blobs.remove(sha('z'))).toBe(false);
    });

    it('records blob metadata once', async () => {
      await s.blobs.insertIfAbsent({ sha256: sha('a'), size: 1, mime: 'image/png', createdAt: 1 });
      await s.blobs.insertIfAbsent({ sha256: sha('a'), size: 1, mime: 'image/jpeg', createdAt: 2 });
      expect(await s.blobs.get(sha('a'))).toEqual({ sha256: sha('a'), size: 1, mime: 'image/png', createdAt: 1 });
      expect(await s.blobs.get(sha('b'))).toBeNull();
    });
  });

  describe('audit', () => {
    it('lists a project\'s entries newest first, paged before an id, with details as written', async () => {
      const a = await user('ann');
      const p = await project('p', a.id);
      for (let i = 0; i < 5; i++) await s.audit.append({ at: i, actorId: a.id, projectId: i === 2 ? null : p.id, action: `a${i}`, subject: 's', details: { i, nested: [i] } });
      const all = await s.audit.list(p.id, { limit: 10 });
      expect(all.map((e) => e.action)).toEqual(['a4', 'a3', 'a1', 'a0']);
      expect(all[0]).toMatchObject({ at: 4, actorId: a.id, projectId: p.id, subject: 's', details: { i: 4, nested: [4] } });
      expect((await s.audit.list(p.id, { limit: 2, before: all[1].id })).map((e) => e.action)).toEqual(['a1', 'a0']);
    });

    it('filters by actor (or none), action or action family, subject and time, and lists the actions used', async () => {
      const a = await user('ann');
      const b = await user('bob');
      const p = await project('p', a.id);
      const rows = [
        { at: 10, actorId: a.id, action: 'member.add', subject: 'u1' },
        { at: 20, actorId: b.id, action: 'member.remove', subject: 'u1' },
        { at: 30, actorId: null, action: 'blob.gc', subject: '' },
        { at: 40, actorId: a.id, action: 'class.create', subject: 'c1' },
        { at: 50, actorId: a.id, action: 'memberx', subject: 'u1' },
      ];
      for (const r of rows) await s.audit.append({ ...r, projectId: p.id, details: null });
      await s.audit.append({ at: 60, actorId: a.id, projectId: null, action: 'member.add', subject: 'u1', details: null });
      const actions = async (filter: AuditFilter, before?: number) => (await s.audit.list(p.id, { limit: 10, before, filter })).map((e) => e.action);
      expect(await actions({ actorId: a.id })).toEqual(['memberx', 'class.create', 'member.add']);
      expect(await actions({ actorId: null })).toEqual(['blob.gc']);
      expect(await actions({ action: 'member.add' })).toEqual(['member.add']);
      expect(await actions({ actionPrefix: 'member.' })).toEqual(['member.remove', 'member.add']);
      expect(await actions({ subject: 'u1', actorId: a.id })).toEqual(['memberx', 'member.add']);
      expect(await actions({ since: 20, until: 40 })).toEqual(['blob.gc', 'member.remove']);
      const all = await s.audit.list(p.id, { limit: 10 });
      expect(await actions({ actorId: a.id }, all[0].id)).toEqual(['class.create', 'member.add']);
      expect(await s.audit.actions(p.id)).toEqual(['blob.gc', 'class.create', 'member.add', 'member.remove', 'memberx']);
    });

    it('reads the whole log (every project and none) with the same filters and paging', async () => {
      const a = await user('ann');
      const p = await project('p', a.id);
      const q = await project('q', a.id);
      await s.audit.append({ at: 1, actorId: a.id, projectId: null, action: 'auth.login', subject: a.id, details: null });
      await s.audit.append({ at: 2, actorId: a.id, projectId: p.id, action: 'member.add', subject: 'u1', details: null });
      await s.audit.append({ at: 3, actorId: null, projectId: q.id, action: 'member.remove', subject: 'u1', details: { n: 1 } });
      await s.audit.append({ at: 4, actorId: a.id, projectId: null, action: 'token.create', subject: 't1', details: null });
      const all = await s.audit.list(WHOLE_LOG, { limit: 10 });
      expect(all.map((e) => [e.action, e.projectId])).toEqual([['token.create', null], ['member.remove', q.id], ['member.add', p.id], ['auth.login', null]]);
      expect((await s.audit.list(WHOLE_LOG, { limit: 2, before: all[1].id })).map((e) => e.action)).toEqual(['member.add', 'auth.login']);
      expect((await s.audit.list(WHOLE_LOG, { limit: 10, filter: { actionPrefix: 'member.', actorId: a.id } })).map((e) => e.action)).toEqual(['member.add']);
      expect(await s.audit.actions(WHOLE_LOG)).toEqual(['auth.login', 'member.add', 'member.remove', 'token.create']);
      // A project's reads still see only that project.
      expect((await s.audit.list(p.id, { limit: 10 })).map((e) => e.action)).toEqual(['member.add']);
    });
  });

  describe('transactions', () => {
    it('commit every write together, and none when the function throws', async () => {
      const a = await user('ann');
      await s.transaction(async (r) => {
        await r.projects.insert({ id: pid('p1'), name: 'one', description: '', createdAt: 1, createdBy: a.id });
        await r.members.put({ projectId: pid('p1'), userId: a.id, role: 'manager', createdAt: 1 });
      });
      expect(await s.members.get(pid('p1'), a.id)).toMatchObject({ role: 'manager' });
      await expect(
        s.transaction(async (r) => {
          await r.projects.insert({ id: pid('p2'), name: 'two', description: '', createdAt: 1, createdBy: a.id });
          await r.audit.append({ at: 1, actorId: a.id, projectId: pid('p2'), action: 'x', subject: '', details: null });
          await r.members.remove(pid('p1'), a.id);
          throw new Error('boom');
        }),
      ).rejects.toThrow('boom');
      expect(await s.projects.byId(pid('p2'))).toBeNull();
      expect(await s.audit.list(pid('p2'), { limit: 10 })).toEqual([]);
      expect(await s.members.get(pid('p1'), a.id)).not.toBeNull();
    });

    it('serialise read-then-write: concurrent transactions lose no update', async () => {
      const a = await user('ann');
      const p = await project('p', a.id);
      await Promise.all(
        Array.from({ length: 8 }, (_, i) =>
          s.transaction(async (r) => {
            const n = (await r.classes.list(p.id)).length;
            await new Promise((resolve) => setImmediate(resolve)); // let the others run if they could
            await r.classes.insert({ id: cid(`c${i}`), projectId: p.id, name: `class ${i}`, color: '#000000', hotkey: null, position: n, createdAt: 1 });
          }),
        ),
      );
      expect((await s.classes.list(p.id)).map((c) => c.position)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    });

    it('keep uncommitted writes from others: an outside read waits, an outside write is not rolled back', async () => {
      const a = await user('ann');
      const held = gate();
      const entered = gate();
      const tx = s.transaction(async (r) => {
        await r.users.insert({ ...a, id: uid('u-tx'), username: 'in-tx' });
        entered.open();
        await held.p;
        throw new Error('rolled back');
      });
      await entered.p;
      const outsideRead = s.users.byUsername('in-tx');
      const outsideWrite = s.users.insert({ ...a, id: uid('u-out'), username: 'outside' });
      held.open();
      await expect(tx).rejects.toThrow('rolled back');
      await outsideWrite;
      expect(await outsideRead).toBeNull();
      expect(await s.users.byUsername('outside')).not.toBeNull();
      expect(await s.users.byUsername('in-tx')).toBeNull();
    });

    it('join an enclosing transaction when nested, and roll back with it', async () => {
      const a = await user('ann');
      await expect(
        s.transaction(async () => {
          await s.transaction(async (r) => r.projects.insert({ id: pid('n1'), name: 'nested', description: '', createdAt: 1, createdBy: a.id }));
          expect(await s.projects.byName('nested')).not.toBeNull();
          throw new Error('outer fails');
        }),
      ).rejects.toThrow('outer fails');
      expect(await s.projects.byName('nested')).toBeNull();
    });

    it('answer a ping', async () => {
      await expect(s.ping()).resolves.toBeUndefined();
    });
  });
  return checks;
}
