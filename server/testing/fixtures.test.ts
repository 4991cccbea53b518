import { afterEach, expect, it } from 'vitest';
import { accessToDoc } from '../services/access.ts';
import { resolveToken } from '../services/auth.ts';
import { seedProject, tempDb } from './fixtures.ts';

let cleanup = () => {};
afterEach(() => cleanup());

it('seeds a project whose tokens resolve and whose documents follow the policy', () => {
  const t = tempDb();
  cleanup = t.cleanup;
  const s = seedProject(t.db);
  expect(resolveToken(t.db, s.tokens.annotator)?.user.id).toBe(s.users.annotator.id);
  expect(resolveToken(t.db, 'nonsense')).toBeNull();
  expect(accessToDoc(t.db, s.users.annotator.id, `ann:${s.images.assigned}`).access).toBe('write');
  expect(accessToDoc(t.db, s.users.annotator.id, `ann:${s.images.other}`).access).toBe('none');
  expect(accessToDoc(t.db, s.users.engineer.id, `ann:${s.images.free}`).access).toBe('read');
  expect(accessToDoc(t.db, s.users.outsider.id, `cmt:${s.images.free}`).access).toBe('none');
  expect(accessToDoc(t.db, s.users.manager.id, 'ann:does-not-exist').access).toBe('none');
});
