// The releases REST API through the real server: a cut runs as a job (progress and the release on
// the event stream), the same state again answers with the same release, manifest with ETag = id,
// aliases with `latest` moving by itself, QA verdicts, export zips, blobs with Range, bad input.
import { unzipSync } from 'fflate';
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addShape, relabelShape } from '../../shared/doc/index.ts';
import { docName } from '../../shared/ids.ts';
import { createUser } from '../services/auth.ts';
import { createApiToken } from '../services/auth.ts';
import { setMember } from '../services/projects.ts';
import { tempDir } from '../testing/fixtures.ts';
import { releaseServer, type ReleaseServer } from '../testing/release-server.ts';
import { openSse } from '../testing/sse.ts';

const dir = tempDir();
let rs: ReleaseServer;
let qaToken: string;
let annotatorToken: string;

beforeAll(async () => {
  rs = await releaseServer(dir.dir, { count: 5 });
  const qa = await createUser(rs.server.services, { username: 'q', password: 'q-password', isAdmin: false }, null);
  const ann = await createUser(rs.server.services, { username: 'a', password: 'a-password', isAdmin: false }, null);
  await setMember(rs.server.services, rs.adminId, rs.projectId, 'q', 'qa');
  await setMember(rs.server.services, rs.adminId, rs.projectId, 'a', 'annotator');
  qaToken = (await createApiToken(rs.server.services, qa.id, 't', 1)).token;
  annotatorToken = (await createApiToken(rs.server.services, ann.id, 't', 1)).token;
}, 60_000);
afterAll(async () => {
  await rs.close();
  dir.cleanup();
});

const api = (path: string, init: RequestInit = {}, token = rs.token) =>
  fetch(`${rs.server.url}/api/projects/${rs.projectId}${path}`, { ...init, headers: { Authorization: `Bearer ${token}`, ...(init.body ? { 'content-type': 'application/json' } : {}), ...(init.headers ?? {}) } });
const json = async <T = any>(res: Response | Promise<Response>): Promise<T> => (await res).json() as Promise<T>;

async function cutByJob(body: object = {}, until: 'succeeded' | 'failed' = 'succeeded') {
  const sse = await openSse(`${rs.server.url}/api/projects/${rs.projectId}/events`, rs.token);
  try {
    const res = await api('/releases', { method: 'POST', body: JSON.stringify(body) });
    expect(res.status).toBe(202);
    const { job } = await json<{ job: { id: string; stage: string } }>(res);
    expect(job.stage).toBe('release');
    await sse.next((e) => e.event === 'job' && e.data.job.id === job.id && e.data.job.state === until, 30_000, `the release job to end ${until}`);
    return json<{ result: any; state: string; errors: any[]; attempts: number }>(fetch(`${rs.server.url}/api/projects/${rs.projectId}/jobs/${job.id}`, { headers: { Authorization: `Bearer ${rs.token}` } }));
  } finally {
    sse.close();
  }
}

describe('releases API', () => {
  it('cuts as a job, and the same approved state again is the same release', async () => {
    const preview = await json(api('/release-preview'));
    expect(preview).toEqual({ images: 5, included: 5, unreviewedEdits: 0, noRevision: 0 });
    const first = await cutByJob({ notes: 'first cut', split: { train: 3, val: 1, test: 1, salt: 's' } });
    expect(first.result).toMatchObject({ number: 1, created: true, included: 5 });
    const again = await cutByJob({});
    expect(again.result).toMatchObject({ number: 1, created: false, id: first.result.id });
    const list = await json(api('/releases'));
    expect(list.items.map((i: any) => [i.number, i.aliases])).toEqual([[1, ['latest']]]);
    const detail = await json(api('/releases/1'));
    expect(detail).toMatchObject({ number: 1, notes: 'first cut', split: { train: 3, val: 1, test: 1, salt: 's' }, diff: { counts: { imagesAdded: 5 } } });
  }, 60_000);

  it('serves the manifest with its id as ETag, and blobs with Range', async () => {
    const res = await api('/releases/latest/manifest');
    const bytes = new Uint8Array(await res.arrayBuffer());
    const id = createHash('sha256').update(bytes).digest('hex');
    expect(res.headers.get('etag')).toBe(`"${id}"`);
    expect((await api(`/releases/${id}/manifest`, { headers: { 'If-None-Match': `"${id}"` } })).status).toBe(304);
    const m = JSON.parse(Buffer.from(bytes).toString());
    const blob = m.images[0].blob as string;
    const part = await api(`/releases/1/blobs/${blob}`, { headers: { Range: 'bytes=10-19' } });
    expect(part.status).toBe(206);
    expect(part.headers.get('content-range')).toBe(`bytes 10-19/${m.images[0].bytes}`);
    expect((await part.arrayBuffer()).byteLength).toBe(10);
    expect((await api(`/releases/1/blobs/${blob}`, { headers: { Range: `bytes=${m.images[0].bytes}-` } })).status).toBe(416);
    const other = createHash('sha256').update('not in the release').digest('hex');
    expect((await api(`/releases/1/blobs/${other}`)).status).toBe(404);
  });

  it('diffs a relabel, moves latest, sets aliases and records QA; refuses bad input by name', async () => {
    const im = rs.images[0];
    // s0-0 is a car; relabelled to person and approved.
    await rs.server.docs.change(docName('ann', im.id), rs.adminId, (doc) => void relabelShape(doc, 's0-0', personId(), { author: rs.adminId }));
    await rs.approve(im.id);
    const second = await cutByJob();
    expect(second.result).toMatchObject({ number: 2, created: true });
    const d = await json(api('/releases/latest'));
    expect(d.number).toBe(2);
    expect(d.diff.shapes.relabelled.map((s: any) => [s.fileName, s.shape])).toEqual([[im.fileName, 's0-0']]);
    expect(d.generatedNotes.join(' ')).toContain('car → person');
    expect((await api('/aliases/prod', { method: 'PUT', body: JSON.stringify({ release: 1 }) })).status).toBe(200);
    expect((await json(api('/releases/prod'))).number).toBe(1);
    const latest = await api('/aliases/latest', { method: 'PUT', body: JSON.stringify({ release: 1 }) });
    expect(latest.status).toBe(400);
    expect((await json(latest)).error.message).toMatch(/moves by itself/);
    expect((await api('/aliases/prod', { method: 'PUT', body: JSON.stringify({ release: 9 }) })).status).toBe(404);
    const qa = await api('/releases/prod/qa', { method: 'POST', body: JSON.stringify({ status: 'validated', notes: 'spot-checked 50 images' }) }, qaToken);
    expect(qa.status).toBe(200);
    expect((await json(api('/releases'))).items.map((i: any) => [i.number, i.aliases, i.qa?.status ?? null])).toEqual([[2, ['latest'], null], [1, ['prod'], 'validated']]);
    const bad = await api('/releases/1/qa', { method: 'POST', body: JSON.stringify({ status: 'maybe', notes: '' }) }, qaToken);
    expect(bad.status).toBe(400);
    expect((await json(bad)).error.message).toMatch(/status/);
    expect((await api('/releases', { method: 'POST', body: JSON.stringify({ split: { train: 0, val: 0, test: 0 } }) })).status).toBe(400);
    expect((await api('/releases/no-such-alias')).status).toBe(404);
    expect((await api('/releases/1/qa', { method: 'POST', body: JSON.stringify({ status: 'validated', notes: '' }) }, annotatorToken)).status).toBe(403);
  }, 60_000);

  it('exports zips per format, derived from the manifest and cached', async () => {
    const a = await api('/releases/1/export/yolo');
    expect(a.status).toBe(200);
    expect(a.headers.get('content-disposition')).toBe('attachment; filename="rel-1-yolo.zip"');
    const files = unzipSync(new Uint8Array(await a.arrayBuffer()));
    expect(Object.keys(files)).toEqual(expect.arrayContaining(['classes.txt', 'data.yaml', 'manifest.json']));
    const b = await api('/releases/1/export/yolo');
    expect(b.headers.get('etag')).toBe(a.headers.get('etag'));
    await b.body?.cancel();
    const bad = await api('/releases/1/export/tfrecord');
    expect(bad.status).toBe(400);
    expect((await json(bad)).error.message).toMatch(/one of coco, yolo, voc/);
  });

  it('stores the EDA report of every cut; the release-report stage computes it on demand and keeps it', async () => {
    const r1 = await json(api('/releases/1/report', {}, qaToken));
    expect(r1).toMatchObject({ schema: 'tessera.release-report/1', all: { images: 5 } });
    expect(r1.splits.train.images + r1.splits.val.images + r1.splits.test.images).toBe(5);
    expect(r1.all.classes.map((c: any) => c.name)).toContain('car');
    expect(r1.approvers.length).toBeGreaterThan(0);
    // Taken away, it is computed again by the stage, the same figures.
    rs.server.db.$client.prepare("delete from release_exports where release_id = ? and format = 'report'").run(r1.release);
    expect((await api('/releases/1/report')).status).toBe(404);
    const sse = await openSse(`${rs.server.url}/api/projects/${rs.projectId}/events`, rs.token);
    try {
      const res = await api('/releases/1/report', { method: 'POST' });
      expect(res.status).toBe(202);
      const { job } = await json(res);
      expect(job.stage).toBe('release-report');
      await sse.next((e) => e.event === 'job' && e.data.job.id === job.id && e.data.job.state === 'succeeded', 30_000, 'the report job to succeed');
    } finally {
      sse.close();
    }
    expect(await json(api('/releases/1/report'))).toEqual(r1);
    expect((await api('/releases/9/report', { method: 'POST' })).status).toBe(404);
    expect((await api('/releases/1/report', { method: 'POST' }, qaToken)).status).toBe(403);
  }, 60_000);

  it('the release gate refuses a cut whose manifest fails validation, links the report, and lets it through once off', async () => {
    expect((await api('/release-gate', { method: 'PUT', body: JSON.stringify({ validate: { iou: 2 } }) })).status).toBe(400);
    expect((await api('/release-gate', { method: 'PUT', body: JSON.stringify({ validate: {} }) }, qaToken)).status).toBe(403);
    const on = await json(api('/release-gate', { method: 'PUT', body: JSON.stringify({ validate: {} }) }));
    expect(on).toMatchObject({ validate: { iou: 0.95 }, lastRefusal: null });
    // A box reaching out of its image, approved: the next cut would hold it.
    const im = rs.images[1];
    await rs.server.docs.change(docName('ann', im.id), rs.adminId, (doc) => void addShape(doc, { id: 'wide', kind: 'box', label: personId(), points: [40, 40, 500, 10] }, { author: rs.adminId }));
    await rs.approve(im.id);
    const before = (await json(api('/releases'))).items.length;
    const refused = await cutByJob({}, 'failed');
    expect(refused.state).toBe('failed');
    const message = refused.errors.at(-1).message as string;
    expect(message).toMatch(/release gate refused this cut: validation found 1 problem\(s\) \(1 out of bounds\)/);
    expect(message).toContain(`/api/projects/${rs.projectId}/release-gate/report`);
    expect(refused.attempts).toBe(1);
    expect(refused.errors.at(-1).code).toBe('validation');
    expect((await json(api('/releases'))).items.length).toBe(before);
    const report = await json(api('/release-gate/report', {}, qaToken));
    expect(report.counts.out_of_bounds).toBe(1);
    expect(report.problems).toEqual([expect.objectContaining({ kind: 'out_of_bounds', fileName: im.fileName, shapeId: 'wide' })]);
    expect((await json(api('/release-gate'))).lastRefusal).toMatchObject({ report: `/api/projects/${rs.projectId}/release-gate/report` });
    await json(api('/release-gate', { method: 'PUT', body: JSON.stringify({ validate: null }) }));
    expect((await cutByJob()).result).toMatchObject({ created: true, number: before + 1 });
  }, 60_000);
});

function personId(): string {
  return rs.server.db.$client.prepare("select id from label_classes where name = 'person'").pluck().get() as string;
}
