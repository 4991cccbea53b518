// Open sync connections follow access changes made over REST: a reassigned image closes its old
// annotator's socket (4403), a role change to engineer makes a writer read-only, sign-out closes
// the sockets of that session (4401).
import { describe, expect, it } from 'vitest';
import { addShape, readShapes } from '../../shared/doc/annotations.ts';
import { perTestSyncServer } from '../testing/sync-server.ts';
import { docUpdates, every, until } from '../testing/wait.ts';
import { CLOSE } from './protocol.ts';

describe('access changes reach open connections', () => {
  const s = perTestSyncServer();
  const client = s.client;
  const rest = (method: string, path: string, token: string, body?: unknown) =>
    fetch(`${s.t.url}${path}`, { method, headers: { Authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });

  it('closes the old annotator\'s socket with 4403 when the manager reassigns the image', async () => {
    const doc = `ann:${s.t.seed.images.assigned}`;
    const a = client(s.t.seed.tokens.annotator, doc);
    await a.synced();
    const res = await rest('POST', `/api/projects/${s.t.seed.projectId}/images/assign`, s.t.seed.tokens.manager, { imageIds: [s.t.seed.images.assigned], assignee: s.t.seed.users.annotator2.id });
    expect(res.status).toBe(200);
    expect((await a.closed).code).toBe(CLOSE.forbidden);
  });

  it('makes a writer read-only when the manager changes their role to engineer', async () => {
    const doc = `ann:${s.t.seed.images.free}`;
    const r = client(s.t.seed.tokens.reviewer, doc);
    const watcher = client(s.t.seed.tokens.manager, doc);
    await Promise.all([r.synced(), watcher.synced()]);
    addShape(r.doc, { id: 'before', kind: 'point', label: 'c', points: [1, 1] }, { author: s.t.seed.users.reviewer.id });
    await until(() => readShapes(watcher.doc).shapes.length === 1, [docUpdates(watcher.doc)], 5000, 'the first edit at the watcher');
    const res = await rest('PATCH', `/api/projects/${s.t.seed.projectId}/members/${s.t.seed.users.reviewer.id}`, s.t.seed.tokens.manager, { role: 'engineer' });
    expect(res.status).toBe(200);
    addShape(r.doc, { id: 'after', kind: 'point', label: 'c', points: [2, 2] }, { author: s.t.seed.users.reviewer.id });
    await until(() => r.denied.length > 0, [every(10)], 5000, 'permission denied for the demoted reviewer');
    expect(readShapes(s.t.sync.core.doc(doc)!).shapes.map((s) => s.id)).toEqual(['before']);
  });

  it('closes the sockets of a session with 4401 when it signs out', async () => {
    const doc = `cmt:${s.t.seed.images.assigned}`;
    const a = client(s.t.seed.tokens.annotator, doc);
    const other = client(s.t.seed.tokens.reviewer, doc);
    await Promise.all([a.synced(), other.synced()]);
    expect((await rest('POST', '/api/auth/logout', s.t.seed.tokens.annotator)).status).toBe(200);
    expect((await a.closed).code).toBe(CLOSE.unauthenticated);
    expect(other.provider.wsconnected).toBe(true);
  });
});
