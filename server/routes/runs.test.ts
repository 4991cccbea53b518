// Model runs through the real server: recorded against a release by number, alias or id and kept
// with the release id, listed newest first (by release too), notes appended later, audited;
// bad input (non-number metrics, unknown or another project's release, unknown fields) is a 400
// naming the field and records nothing; a run's release survives blob garbage collection.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addShape } from '../../shared/doc/index.ts';
import { docName, type ProjectId, type Sha256, type UserId } from '../../shared/ids.ts';
import { createApiToken, createUser } from '../services/auth.ts';
import { collectBlobGarbage } from '../services/blob-gc.ts';
import { createProject, setMember } from '../services/projects.ts';
import { cutRelease } from '../services/releases.ts';
import { runBlobReferences } from '../services/runs.ts';
import { sqliteRuns } from '../adapters/sqlite/runs.ts';
import { tempDir } from '../testing/fixtures.ts';
import { releaseServer, type ReleaseServer } from '../testing/release-server.ts';
import { openSse } from '../testing/sse.ts';

const dir = tempDir();
let rs: ReleaseServer;
const tokens: Record<'engineer' | 'qa' | 'annotator', string> = { engineer: '', qa: '', annotator: '' };
const userIds: Record<string, UserId> = {};
const rel: Array<{ id: Sha256; number: number }> = [];
let otherRelease: Sha256;

beforeAll(async () => {
  rs = await releaseServer(dir.dir, { count: 3 });
  for (const role of ['engineer', 'qa', 'annotator'] as const) {
    const u = await createUser(rs.server.services, { username: `u-${role}`, password: `${role}-password`, isAdmin: false }, null);
    await setMember(rs.server.services, rs.adminId, rs.projectId, u.username, role);
    tokens[role] = (await createApiToken(rs.server.services, u.id, 't', 1)).token;
    userIds[role] = u.id as UserId;
  }
  const first = await cutRelease(rs.server.releases, rs.adminId, rs.projectId);
  const im = rs.images[0].id;
  await rs.server.docs.change(docName('ann', im), rs.adminId, (doc) => void addShape(doc, { id: 'extra', kind: 'box', label: classOf(), points: [1, 1, 9, 9] }, { author: rs.adminId, now: 2 }));
  await rs.approve(im);
  const second = await cutRelease(rs.server.releases, rs.adminId, rs.projectId);
  rel.push({ id: first.release.id, number: first.release.number }, { id: second.release.id, number: second.release.number });
  // Another project on the same server with a release record of its own.
  const other = await createProject(rs.server.services, (await rs.server.services.data.users.byId(rs.adminId))!, { name: 'elsewhere' });
  otherRelease = 'f'.repeat(64) as Sha256;
  await rs.server.releases.releases.insert({ ...first.release, id: otherRelease, projectId: other.id as ProjectId, number: 1, parentId: null }, []);
}, 60_000);
afterAll(async () => {
  await rs.close();
  dir.cleanup();
});

const classOf = () => rs.server.db.$client.prepare('select id from label_classes where project_id = ? order by id limit 1').pluck().get(rs.projectId) as string;
const api = (path: string, init: RequestInit = {}, token = tokens.engineer) =>
  fetch(`${rs.server.url}/api/projects/${rs.projectId}${path}`, { ...init, headers: { Authorization: `Bearer ${token}`, ...(init.body ? { 'content-type': 'application/json' } : {}) } });
const post = (path: string, body: unknown, token?: string) => api(path, { method: 'POST', body: JSON.stringify(body) }, token);
const runAudit = async () => (await rs.server.services.data.audit.list(rs.projectId, { limit: 1000, filter: { actionPrefix: 'run.' } })).map((a) => [a.action, a.subject]);

const body = { model: 'yolo-n', version: '1.0.0', metrics: { mAP: 0.41, AP: { car: 0.5, person: 0.32 } } };

describe('model runs API', () => {
  it('records runs by number, alias and id, keeping the release id; lists newest first and by release', async () => {
    const byNumber = await post('/runs', { ...body, release: 1, params: { epochs: 10 }, code: 'abc1234', split: 'test', notes: 'baseline' });
    expect(byNumber.status).toBe(201);
    const a = await byNumber.json();
    expect(a).toMatchObject({ releaseId: rel[0].id, releaseNumber: 1, model: 'yolo-n', params: { epochs: 10 }, code: 'abc1234', split: 'test', metrics: body.metrics });
    expect(a.notes).toEqual([expect.objectContaining({ text: 'baseline' })]);

    const byAlias = await (await post('/runs', { ...body, version: '1.1.0', release: 'latest' })).json();
    expect(byAlias).toMatchObject({ releaseId: rel[1].id, releaseNumber: 2 });
    const byId = await (await post('/runs', { ...body, version: '1.2.0', release: rel[0].id.slice(0, 12) }, tokens.qa)).json();
    expect(byId).toMatchObject({ releaseId: rel[0].id, releaseNumber: 1 });
    const stored = rs.server.db.$client.prepare('select release_id from model_runs where id = ?').pluck().get(byAlias.id);
    expect(stored).toBe(rel[1].id);

    const all = await (await api('/runs')).json();
    expect(all.items.map((r: any) => r.version)).toEqual(['1.2.0', '1.1.0', '1.0.0']);
    const page1 = await (await api('/runs?limit=2')).json();
    const page2 = await (await api(`/runs?limit=2&cursor=${page1.next}`)).json();
    expect([...page1.items, ...page2.items].map((r: any) => r.id)).toEqual(all.items.map((r: any) => r.id));
    expect(page2.next).toBeNull();
    const onOne = await (await api('/runs?release=1')).json();
    expect(onOne.items.map((r: any) => r.version)).toEqual(['1.2.0', '1.0.0']);
    expect(await (await api(`/runs/${a.id}`, {}, tokens.qa)).json()).toEqual(a);
    expect((await runAudit()).filter(([action]) => action === 'run.record').map(([, s]) => s).sort()).toEqual([a.id, byAlias.id, byId.id].sort());
  });

  it('appends notes and never changes a run', async () => {
    const run = await (await post('/runs', { ...body, version: '2.0.0', release: 2 })).json();
    const res = await post(`/runs/${run.id}/notes`, { text: 'fails on night images' }, tokens.qa);
    expect(res.status).toBe(201);
    const after = await res.json();
    expect(after.notes.map((n: any) => n.text)).toEqual(['fails on night images']);
    expect({ ...after, notes: [] }).toEqual({ ...run, notes: [] });
    expect(await runAudit()).toContainEqual(['run.note', run.id]);
    expect(() => rs.server.db.$client.prepare("update model_runs set model = 'other' where id = ?").run(run.id)).toThrow(/immutable/);
    expect(() => rs.server.db.$client.prepare('delete from model_runs where id = ?').run(run.id)).toThrow(/immutable/);
    expect((await post('/runs/no-such-run/notes', { text: 'x' })).status).toBe(404);
  });

  it('refuses bad input with a 400 naming the field, and records nothing', async () => {
    const before = { runs: (await (await api('/runs?limit=1000')).json()).items.length, audit: (await runAudit()).length };
    const cases: Array<[unknown, RegExp]> = [
      [{ ...body, release: 1, metrics: { mAP: 'high' } }, /metrics\.mAP/],
      [{ ...body, release: 1, metrics: { AP: { car: 'x' } } }, /metrics\.AP/],
      [{ ...body, release: 1, metrics: { mAP: null } }, /metrics\.mAP/],
      [{ ...body, release: 99 }, /"release".*no release 99/],
      [{ ...body, release: 'prod' }, /"release".*no release prod/],
      [{ ...body, release: 'a'.repeat(64) }, /"release"/],
      [{ ...body, release: otherRelease }, /"release".*no release f{12}/],
      [{ ...body, release: 1, code: 'not a sha' }, /"code"/],
      [{ ...body, release: 1, split: 'holdout' }, /"split"/],
      [{ ...body, release: 1, extra: 1 }, /unknown field "extra"/],
      [{ ...body }, /"release"/],
    ];
    for (const [b, message] of cases) {
      const res = await post('/runs', b);
      expect(res.status, JSON.stringify(b)).toBe(400);
      expect((await res.json()).error.message, JSON.stringify(b)).toMatch(message);
    }
    expect((await post('/runs', { ...body, release: 1 }, tokens.annotator)).status).toBe(403);
    expect((await (await api('/runs?limit=1000')).json()).items.length).toBe(before.runs);
    expect((await runAudit()).length).toBe(before.audit);
  });

  it("keeps a run's release (manifest, images, cached exports) through blob garbage collection", async () => {
    // A third release that no run names, and a cached export of release 1.
    const im = rs.images[1].id;
    await rs.server.docs.change(docName('ann', im), rs.adminId, (doc) => void addShape(doc, { id: 'extra2', kind: 'box', label: classOf(), points: [2, 2, 8, 8] }, { author: rs.adminId, now: 3 }));
    await rs.approve(im);
    const third = (await cutRelease(rs.server.releases, rs.adminId, rs.projectId)).release;
    const runs = (await (await api('/runs?limit=1000')).json()).items as Array<{ releaseId: string }>;
    expect(runs.some((r) => r.releaseId === third.id)).toBe(false);
    const zip = await api('/releases/1/export/coco');
    expect(zip.status).toBe(200);
    await zip.arrayBuffer();
    const exportBlob = rs.server.db.$client.prepare("select blob from release_exports where release_id = ? and format = 'coco'").pluck().get(rel[0].id) as string;

    // The run source alone (a dry run): it names release 1's and 2's manifests and the export, not release 3's.
    const s = rs.server.services;
    const onlyRuns = await collectBlobGarbage({ ...s, blobReferences: () => [runBlobReferences({ heldByRuns: async (c) => sqliteRuns(rs.server.db).heldByRuns(c) })] }, null, { graceMs: 0, dryRun: true });
    const wouldGo = new Set(onlyRuns.deleted.map((d) => d.sha256));
    expect(wouldGo.has(third.id)).toBe(true);
    for (const kept of [rel[0].id, rel[1].id, exportBlob]) expect(wouldGo.has(kept as Sha256), kept).toBe(false);

    // The server's own sources, for real, with no grace period.
    const report = await collectBlobGarbage(s, rs.adminId as UserId, { graceMs: 0 });
    expect(report.kept['model runs']).toBeDefined();
    const blobFile = (sha: string) => join(dir.dir, 'server', 'blobs', sha.slice(0, 2), sha);
    for (const sha of [rel[0].id, rel[1].id, exportBlob, ...rs.images.map((i) => i.sha256)]) expect(existsSync(blobFile(sha)), sha).toBe(true);
    expect((await api('/releases/1/manifest')).status).toBe(200);
  }, 60_000);

  it('tells the event stream of every recorded run and note, and only members who may read runs', async () => {
    const events = `${rs.server.url}/api/projects/${rs.projectId}/events`;
    const [qa, annotator] = [await openSse(events, tokens.qa), await openSse(events, tokens.annotator)];
    try {
      const run = await (await post('/runs', { ...body, release: 2 })).json();
      const recorded = await qa.next((e) => e.event === 'modelRun' && e.data.run.id === run.id, 20_000, 'the recorded run');
      expect(recorded.data).toEqual({ type: 'modelRun', run: { id: run.id, releaseId: rel[1].id, change: 'recorded' } });
      expect((await post(`/runs/${run.id}/notes`, { text: 'looked again' })).status).toBe(201);
      await qa.next((e) => e.event === 'modelRun' && e.data.run.change === 'note', 20_000, 'the note');
      // A marker the annotator may hear, published after both: events reach a stream in order, so
      // once it arrives the annotator would have heard the run events before it.
      rs.server.services.events.publish(rs.projectId, { type: 'comments', imageId: 'marker', assignee: userIds.annotator });
      await annotator.next((e) => e.event === 'comments' && e.data.imageId === 'marker', 20_000, 'the marker');
      expect(annotator.events.filter((e) => e.event === 'modelRun')).toEqual([]);
    } finally {
      qa.close();
      annotator.close();
    }
  });
});
