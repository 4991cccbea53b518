import { afterEach, expect, it } from 'vitest';
import { accessToDoc } from '../services/access.ts';
import { resolveToken } from '../services/auth.ts';
import { testServices } from './app.ts';
import { seedProject, tempDb } from './fixtures.ts';

let cleanup = () => {};
afterEach(() => cleanup());

it('seeds a project whose tokens resolve and whose documents follow the policy', async () => {
  const t = tempDb();
  cleanup = t.cleanup;
  const s = seedProject(t.db);
  const deps = testServices(t.db, `${t.file}.blobs`);
  expect((await resolveToken(deps, s.tokens.annotator))?.user.id).toBe(s.users.annotator.id);
  expect(await resolveToken(deps, 'nonsense')).toBeNull();
  expect((await accessToDoc(deps, s.users.annotator.id, `ann:${s.images.assigned}`)).access).toBe('write');
  expect((await accessToDoc(deps, s.users.annotator.id, `ann:${s.images.other}`)).access).toBe('none');
  expect((await accessToDoc(deps, s.users.engineer.id, `ann:${s.images.free}`)).access).toBe('read');
  expect((await accessToDoc(deps, s.users.outsider.id, `cmt:${s.images.free}`)).access).toBe('none');
  expect((await accessToDoc(deps, s.users.manager.id, 'ann:does-not-exist')).access).toBe('none');
});
