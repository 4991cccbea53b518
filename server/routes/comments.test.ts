// Unread comment counts against the real server: messages written over real sync sockets reach the
// index after they are durable, each member counts only others' messages they were not shown,
// annotators only on their own images, and a `comments` event tells open clients to refetch.
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { openThread, postMessage } from '../../shared/doc/comments.ts';
import { restAs } from '../testing/review.ts';
import { openSse } from '../testing/sse.ts';
import { perTestSyncServer } from '../testing/sync-server.ts';

describe('unread comment counts', () => {
  const ctx = perTestSyncServer();
  const unreadOf = async (token: string) => {
    const r = await restAs(ctx.t.url, token).get(`/projects/${ctx.t.seed.projectId}/comments/unread`);
    expect(r.status).toBe(200);
    return r.body.unread as Record<string, number>;
  };

  it('counts others’ messages per image until the member reads them, live on the event stream', async () => {
    const { seed } = ctx.t;
    const img = seed.images.assigned;
    const other = seed.images.other;
    const sse = await openSse(`${ctx.t.url}/api/projects/${seed.projectId}/events`, seed.tokens.annotator);
    try {
      const reviewer = ctx.client(seed.tokens.reviewer, `cmt:${img}`);
      await reviewer.synced();
      const thread = openThread(reviewer.doc, { anchor: { x: 10, y: 20 }, text: 'the box is loose' }, { author: seed.users.reviewer.id });
      await sse.next((e) => e.event === 'comments' && e.data.imageId === img, 10_000, 'a comments event for the assigned image');
      expect(await unreadOf(seed.tokens.annotator)).toEqual({ [img]: 1 });
      // Nobody's own messages count for them.
      expect(await unreadOf(seed.tokens.reviewer)).toEqual({});

      // A message on another annotator's image: the reviewer's event, not this annotator's count.
      const onOther = ctx.client(seed.tokens.reviewer, `cmt:${other}`);
      await onOther.synced();
      const manager = await openSse(`${ctx.t.url}/api/projects/${seed.projectId}/events`, seed.tokens.manager);
      try {
        // One update with two messages: one durable write, one event.
        onOther.doc.transact(() => {
          const t = openThread(onOther.doc, { anchor: { x: 1, y: 1 }, text: 'check the truck' }, { author: seed.users.reviewer.id });
          postMessage(onOther.doc, t, 'and the van', { author: seed.users.reviewer.id });
        });
        await manager.next((e) => e.event === 'comments' && e.data.imageId === other, 10_000, 'a comments event for the other image');
      } finally {
        manager.close();
      }
      expect(await unreadOf(seed.tokens.manager)).toEqual({ [img]: 1, [other]: 2 });
      expect(await unreadOf(seed.tokens.annotator)).toEqual({ [img]: 1 });
      expect(await unreadOf(seed.tokens.annotator2)).toEqual({ [other]: 2 });
      expect(sse.events.some((e) => e.event === 'comments' && e.data.imageId === other)).toBe(false);

      const annotator = restAs(ctx.t.url, seed.tokens.annotator);
      expect((await annotator.post(`/projects/${seed.projectId}/images/${img}/comments/read`)).status).toBe(204);
      expect(await unreadOf(seed.tokens.annotator)).toEqual({});

      // The annotator answers: now the reviewer has one unread, the annotator none.
      const mine = ctx.client(seed.tokens.annotator, `cmt:${img}`, new Y.Doc());
      await mine.synced();
      const before = sse.events.length;
      postMessage(mine.doc, thread, 'tightened it', { author: seed.users.annotator.id });
      await sse.next((e) => sse.events.indexOf(e) >= before && e.event === 'comments' && e.data.imageId === img, 10_000, 'a comments event for the reply');
      expect(await unreadOf(seed.tokens.reviewer)).toEqual({ [img]: 1 });
      expect(await unreadOf(seed.tokens.annotator)).toEqual({});
    } finally {
      sse.close();
    }
  });

  it('refuses to mark an image the member may not see, and images of another project', async () => {
    const { seed } = ctx.t;
    const annotator = restAs(ctx.t.url, seed.tokens.annotator);
    expect((await annotator.post(`/projects/${seed.projectId}/images/${seed.images.other}/comments/read`)).status).toBe(403);
    expect((await annotator.post(`/projects/${seed.projectId}/images/nope/comments/read`)).status).toBe(404);
    expect((await restAs(ctx.t.url, seed.tokens.outsider).get(`/projects/${seed.projectId}/comments/unread`)).status).toBe(403);
    expect((await annotator.get(`/projects/${seed.projectId}/comments/unread?x=1`)).status).toBe(400);
  });
});
