// Review over REST against the real server (port 0, temp SQLite, real ws sync clients): every move
// and every refusal with its named reason, bad input naming the field, the approve race decided
// on state vectors, approved revisions byte-equal to the reviewer's copy and immune to later
// edits and compaction, and status events on the project's bus.
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { addShape, moveShape, readThreads } from '../../shared/doc/index.ts';
import { encodeStateVectorB64, decodeB64 } from '../../shared/api/review.ts';
import { approveImage, submitImage } from '../services/review.ts';
import { perTestSyncServer } from '../testing/sync-server.ts';
import { nextStatus, restAs } from '../testing/review.ts';
import { openSse } from '../testing/sse.ts';
import { docUpdates, until } from '../testing/wait.ts';
import type { ImageStatus } from '../../shared/roles.ts';

const ctx = perTestSyncServer();
const as = (who: keyof typeof ctx.t.seed.tokens) => restAs(ctx.t.url, ctx.t.seed.tokens[who]);
const img = (id: string, action = '') => `/projects/${ctx.t.seed.projectId}/images/${id}${action ? `/${action}` : ''}`;
const statusOf = (id: string) => ctx.t.server.db.$client.prepare('select status from images where id = ?').pluck().get(id);
const revisionCount = () => ctx.t.server.db.$client.prepare('select count(*) from approved_revisions').pluck().get();
const sv = (d: Y.Doc) => encodeStateVectorB64(Y.encodeStateVector(d));

/** A synced client on the image's ann: document, whose `edit` adds a box and waits until the server has it (and the status move it makes). */
async function annClient(who: keyof typeof ctx.t.seed.tokens, imageId: string) {
  const c = ctx.client(ctx.t.seed.tokens[who], `ann:${imageId}`);
  await c.synced();
  const author = ctx.t.seed.users[who].id;
  return {
    ...c,
    async edit(x = 1, moves?: ImageStatus) {
      const moved = moves && nextStatus(ctx.t.server.services.events, ctx.t.seed.projectId, imageId, moves);
      const server = ctx.t.sync.core.doc(`ann:${imageId}`)!;
      const id = addShape(c.doc, { kind: 'box', label: 'cls', points: [x, x, 10, 10] }, { author });
      await until(() => server.getMap('shapes').has(id), [docUpdates(server)], 10_000, 'the edit on the server');
      await moved;
      return id;
    },
  };
}

describe('review moves and refusals', () => {
  it('submit: the assignee may, another annotator may not (not_assignee), an engineer may not (role), a new image may not (wrong_state)', async () => {
    const { images } = ctx.t.seed;
    const other = await as('annotator2').post(img(images.assigned, 'submit'), {});
    expect(other.status).toBe(403);
    expect(other.body.error.details.reason).toBe('not_assignee');
    const engineer = await as('engineer').post(img(images.assigned, 'submit'), {});
    expect(engineer.status).toBe(403);
    expect(engineer.body.error.message).toMatch(/engineer may not/);
    // The service checks the role itself too (callers other than the routes).
    await expect(submitImage(ctx.t.server.services, { userId: ctx.t.seed.users.engineer.id, role: 'engineer' }, ctx.t.seed.projectId, images.assigned)).rejects.toMatchObject({ code: 'forbidden', details: { reason: 'wrong_role' } });
    await expect(approveImage(ctx.t.server.services, { userId: ctx.t.seed.users.qa.id, role: 'qa' }, ctx.t.seed.projectId, images.assigned, 'AA==')).rejects.toMatchObject({ code: 'forbidden', details: { reason: 'wrong_role' } });
    const fresh = await as('manager').post(img(images.free, 'submit'), {});
    expect(fresh.status).toBe(409);
    expect(fresh.body.error.details).toMatchObject({ reason: 'wrong_state', status: 'new' });
    expect(statusOf(images.assigned)).toBe('assigned');

    const event = nextStatus(ctx.t.server.services.events, ctx.t.seed.projectId, images.assigned, 'submitted');
    const ok = await as('annotator').post(img(images.assigned, 'submit'));
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ id: images.assigned, status: 'submitted' });
    expect(await event).toMatchObject({ from: 'assigned', actor: ctx.t.seed.users.annotator.id });
    const again = await as('annotator').post(img(images.assigned, 'submit'), {});
    expect(again.status).toBe(409);
    expect(again.body.error.details.reason).toBe('wrong_state');
  });

  it('approve and request changes: annotators and engineers may not; four eyes for reviewers, not for managers', async () => {
    const { images, users } = ctx.t.seed;
    // The reviewer works on the free image and submits it themself.
    const r = await annClient('reviewer', images.free);
    await r.edit(1, 'in_progress');
    expect(statusOf(images.free)).toBe('in_progress');
    expect((await as('reviewer').post(img(images.free, 'submit'), {})).status).toBe(200);
    for (const who of ['annotator', 'engineer', 'qa'] as const) {
      expect((await as(who).post(img(images.free, 'approve'), { seen: sv(r.doc) })).status).toBe(403);
      expect((await as(who).post(img(images.free, 'request-changes'), { reason: 'no' })).status).toBe(403);
    }
    const own = await as('reviewer').post(img(images.free, 'approve'), { seen: sv(r.doc) });
    expect(own.status).toBe(403);
    expect(own.body.error.details.reason).toBe('four_eyes');
    expect(statusOf(images.free)).toBe('submitted');
    const manager = await as('manager').post(img(images.free, 'approve'), { seen: sv(r.doc) });
    expect(manager.status).toBe(200);
    expect(manager.body).toMatchObject({ status: 'approved', revision: expect.stringMatching(/^[0-9a-f]{64}$/) });
    const twice = await as('manager').post(img(images.free, 'approve'), { seen: sv(r.doc) });
    expect(twice.status).toBe(409);
    expect(twice.body.error.details).toMatchObject({ reason: 'wrong_state', status: 'approved' });
    const history = await as('annotator').get(img(images.assigned, 'history'));
    expect(history).toMatchObject({ status: 200, body: { items: [] } });
    const freeHistory = (await as('reviewer').get(img(images.free, 'history'))).body.items;
    expect(freeHistory.map((h: { from: string; to: string; actor: string }) => [h.from, h.to, h.actor])).toEqual([
      ['new', 'in_progress', users.reviewer.id],
      ['in_progress', 'submitted', users.reviewer.id],
      ['submitted', 'approved', users.manager.id],
    ]);
  });

  it('four eyes is a project setting: a manager turns it off, then a reviewer may approve their own submission', async () => {
    const { images, projectId } = ctx.t.seed;
    const r = await annClient('reviewer', images.free);
    await r.edit(1, 'in_progress');
    expect((await as('reviewer').post(img(images.free, 'submit'), {})).status).toBe(200);
    expect((await as('reviewer').post(img(images.free, 'approve'), { seen: sv(r.doc) })).body.error.details.reason).toBe('four_eyes');
    // Only managers change it; a wrong type is named.
    expect((await as('reviewer').patch(`/projects/${projectId}`, { fourEyes: false })).status).toBe(403);
    const bad = await as('manager').patch(`/projects/${projectId}`, { fourEyes: 'no' });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body.error)).toMatch(/fourEyes/);
    expect((await as('reviewer').get(`/projects/${projectId}`)).body.fourEyes).toBe(true);
    const off = await as('manager').patch(`/projects/${projectId}`, { fourEyes: false });
    expect(off).toMatchObject({ status: 200, body: { fourEyes: false } });
    expect((await as('reviewer').get(`/projects/${projectId}`)).body.fourEyes).toBe(false);
    const own = await as('reviewer').post(img(images.free, 'approve'), { seen: sv(r.doc) });
    expect(own).toMatchObject({ status: 200, body: { status: 'approved' } });
    const audit = (await as('manager').get(`/projects/${projectId}/audit?action=project.update`)).body.items;
    expect(audit[0]).toMatchObject({ action: 'project.update', details: { fourEyes: false } });
  });

  it('request changes: the reason is required and kept; the annotator fixes and resubmits; the shape gets a thread', async () => {
    const { images, users } = ctx.t.seed;
    const a = await annClient('annotator', images.assigned);
    const shape = await a.edit(1, 'in_progress');
    await as('annotator').post(img(images.assigned, 'submit'), {});
    const spaces = await as('reviewer').post(img(images.assigned, 'request-changes'), { reason: '   ' });
    expect(spaces.status).toBe(400);
    expect(spaces.body.error.message).toMatch(/"reason"/);
    const missing = await as('reviewer').post(img(images.assigned, 'request-changes'), {});
    expect(missing.status).toBe(400);
    expect(missing.body.error.message).toMatch(/"reason"/);
    const noShape = await as('reviewer').post(img(images.assigned, 'request-changes'), { reason: 'x', shapeId: 'nope' });
    expect(noShape.status).toBe(400);
    expect(noShape.body.error.message).toMatch(/"shapeId"/);
    expect(statusOf(images.assigned)).toBe('submitted');

    const sent = await as('reviewer').post(img(images.assigned, 'request-changes'), { reason: '  the box misses the mirror  ', shapeId: shape });
    expect(sent.body).toMatchObject({ status: 'changes_requested' });
    const work = (await as('annotator').get(`/projects/${ctx.t.seed.projectId}/review/my-work`)).body.items;
    expect(work[0]).toMatchObject({ image: { id: images.assigned, status: 'changes_requested' }, reason: 'the box misses the mirror', shapeId: shape, by: users.reviewer.id });
    const cmt = ctx.client(ctx.t.seed.tokens.annotator, `cmt:${images.assigned}`);
    await cmt.synced();
    const threads = readThreads(cmt.doc).threads;
    expect(threads.map((t) => [t.anchor, t.messages[0].text, t.messages[0].author])).toEqual([[{ shapeId: shape }, 'the box misses the mirror', users.reviewer.id]]);

    // The annotator fixes it (an edit moves it to in_progress) and resubmits; the queue shows it.
    await a.edit(2, 'in_progress');
    expect(statusOf(images.assigned)).toBe('in_progress');
    await as('annotator').post(img(images.assigned, 'submit'), {});
    const queue = (await as('reviewer').get(`/projects/${ctx.t.seed.projectId}/review/queue`)).body.items;
    expect(queue.map((q: { image: { id: string } }) => q.image.id)).toEqual([images.assigned]);
    const history = (await as('manager').get(img(images.assigned, 'history'))).body.items;
    expect(history.map((h: { to: string }) => h.to)).toEqual(['in_progress', 'submitted', 'changes_requested', 'in_progress', 'submitted']);
    expect(history[2]).toMatchObject({ reason: 'the box misses the mirror', shapeId: shape });
  });

  it('bad input names the field and changes nothing: missing or malformed seen, unknown image, another project\'s image', async () => {
    const { images } = ctx.t.seed;
    await as('annotator').post(img(images.assigned, 'submit'), {});
    const cases: [unknown, RegExp][] = [
      [{}, /"seen"/],
      [{ seen: 'not base64!' }, /"seen".*base64/],
      [{ seen: '' }, /"seen"/],
      [{ seen: Buffer.from([0xff, 0xff, 0xff]).toString('base64') }, /"seen".*state vector/],
      [{ seen: 'AA==', extra: 1 }, /unknown field "extra"/],
    ];
    for (const [body, message] of cases) {
      const res = await as('reviewer').post(img(images.assigned, 'approve'), body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.message).toMatch(message);
    }
    const unknown = await as('reviewer').post(img('no-such-image', 'approve'), { seen: 'AA==' });
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.message).toMatch(/image "no-such-image"/);
    const elsewhere = await restAs(ctx.t.url, ctx.t.seed.tokens.outsider).post(`/projects/${ctx.t.seed.otherProjectId}/images/${images.assigned}/approve`, { seen: 'AA==' });
    expect(elsewhere.status).toBe(404);
    expect(statusOf(images.assigned)).toBe('submitted');
    expect(revisionCount()).toBe(0);
  });
});

describe('status on the project event stream', () => {
  it('reaches reviewers and the image\'s annotator, not another annotator', async () => {
    const { images, projectId, tokens } = ctx.t.seed;
    const url = `${ctx.t.url}/api/projects/${projectId}/events`;
    const [mine, theirs, reviewer] = await Promise.all([openSse(url, tokens.annotator), openSse(url, tokens.annotator2), openSse(url, tokens.reviewer)]);
    try {
      await Promise.all([mine, theirs, reviewer].map((s) => s.next((e) => e.event === 'ready')));
      await as('annotator').post(img(images.assigned, 'submit'), {});
      await as('annotator2').post(img(images.other, 'submit'), {});
      const isSubmit = (id: string) => (e: { event: string; data: any }) => e.event === 'image' && e.data.image.id === id && e.data.image.status === 'submitted';
      await reviewer.next(isSubmit(images.assigned));
      await reviewer.next(isSubmit(images.other));
      await mine.next(isSubmit(images.assigned));
      await theirs.next(isSubmit(images.other));
      // annotator2's own event was published after annotator's: had that leaked, it would be here already.
      expect(mine.events.some(isSubmit(images.other))).toBe(false);
      expect(theirs.events.some(isSubmit(images.assigned))).toBe(false);
    } finally {
      [mine, theirs, reviewer].forEach((s) => s.close());
    }
  });
});

describe('approving exactly what the reviewer saw', () => {
  /** The annotator draws and submits; the reviewer opens the image and captures `seen`. */
  async function submittedAndSeen(imageId: string) {
    const a = await annClient('annotator', imageId);
    await a.edit(1, 'in_progress');
    await as('annotator').post(img(imageId, 'submit'), {});
    const r = await annClient('reviewer', imageId);
    return { a, r, seen: sv(r.doc) };
  }

  it('the annotator edits just after the reviewer captured seen: 409, nothing approved; a fresh seen stores the reviewer\'s state byte for byte', async () => {
    const { images } = ctx.t.seed;
    const { a, r, seen } = await submittedAndSeen(images.assigned);
    await a.edit(3, 'in_progress');
    const late = await as('reviewer').post(img(images.assigned, 'approve'), { seen });
    expect(late.status).toBe(409);
    expect(late.body.error.code).toBe('conflict');
    expect(revisionCount()).toBe(0);
    expect(statusOf(images.assigned)).toBe('in_progress');

    await as('annotator').post(img(images.assigned, 'submit'), {});
    await until(() => sv(r.doc) === sv(ctx.t.sync.core.doc(`ann:${images.assigned}`)!), [docUpdates(r.doc)], 10_000, 'the reviewer has the fix');
    const ok = await as('reviewer').post(img(images.assigned, 'approve'), { seen: sv(r.doc) });
    expect(ok.status).toBe(200);
    const stored = (await as('annotator').get(img(images.assigned, `revisions/${ok.body.revision}`))).body;
    const fromServer = new Y.Doc();
    Y.applyUpdate(fromServer, decodeB64(stored.update));
    const fromReviewer = new Y.Doc();
    Y.applyUpdate(fromReviewer, Y.encodeStateAsUpdate(r.doc));
    expect(Buffer.from(Y.encodeStateAsUpdate(fromServer)).equals(Buffer.from(Y.encodeStateAsUpdate(fromReviewer)))).toBe(true);
    expect(stored.stateVector).toBe(sv(r.doc));
  });

  it('a manager\'s fix after seen keeps the image submitted, and approval with the old seen is a conflict naming what is newer', async () => {
    const { images } = ctx.t.seed;
    const { a, r, seen } = await submittedAndSeen(images.assigned);
    const m = await annClient('manager', images.assigned);
    await m.edit(5);
    await ctx.t.sync.core.flush();
    expect(statusOf(images.assigned)).toBe('submitted');
    const res = await as('reviewer').post(img(images.assigned, 'approve'), { seen });
    expect(res.status).toBe(409);
    expect(res.body.error.details.reason).toBe('changed');
    expect(res.body.error.details.newer).toEqual([{ client: m.doc.clientID, server: expect.any(Number), seen: 0 }]);
    expect(res.body.error.message).toMatch(/newer change/);
    expect(revisionCount()).toBe(0);
  });

  it('an annotator offline through the whole review edits the approved image: back to in_progress, the revision untouched (also by compaction)', async () => {
    const { images } = ctx.t.seed;
    const a = await annClient('annotator', images.assigned);
    const box = await a.edit(1, 'in_progress');
    await as('annotator').post(img(images.assigned, 'submit'), {});
    a.provider.disconnect();
    const r = await annClient('reviewer', images.assigned);
    const ok = await as('reviewer').post(img(images.assigned, 'approve'), { seen: sv(r.doc) });
    expect(ok.status).toBe(200);
    const before = (await as('manager').get(img(images.assigned, `revisions/${ok.body.revision}`))).body;

    moveShape(a.doc, box, [2, 2, 20, 20], { author: ctx.t.seed.users.annotator.id });
    const back = nextStatus(ctx.t.server.services.events, ctx.t.seed.projectId, images.assigned, 'in_progress');
    a.provider.connect();
    expect(await back).toMatchObject({ from: 'approved', actor: ctx.t.seed.users.annotator.id });
    expect(statusOf(images.assigned)).toBe('in_progress');
    await ctx.t.sync.core.compact(`ann:${images.assigned}`);
    const list = (await as('manager').get(img(images.assigned, 'revisions'))).body.items;
    expect(list).toEqual([{ sha256: before.sha256, stateVector: before.stateVector, approvedBy: ctx.t.seed.users.reviewer.id, approvedAt: before.approvedAt }]);
    expect((await as('manager').get(img(images.assigned, `revisions/${ok.body.revision}`))).body).toEqual(before);
    expect(() => ctx.t.server.db.$client.prepare('update approved_revisions set approved_by = approved_by').run()).toThrow(/immutable/);
    expect(() => ctx.t.server.db.$client.prepare('delete from approved_revisions').run()).toThrow(/immutable/);
    expect(() => ctx.t.server.db.$client.prepare('select 1').get()).not.toThrow();
  });
});
