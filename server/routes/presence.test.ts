// Grid presence from the server's own record: a user's sync connection to an image's annotations
// shows them on that image (REST list and a `presence` event on the project stream) until their
// last connection to it closes. Real server on port 0, real ws clients, a real SSE reader.
import { describe, expect, it } from 'vitest';
import { docName } from '../../shared/ids.ts';
import { openSse } from '../testing/sse.ts';
import { perTestSyncServer } from '../testing/sync-server.ts';

describe('presence in the grid', () => {
  const ctx = perTestSyncServer();
  const list = async (token: string) => {
    const r = await fetch(`${ctx.t.url}/api/projects/${ctx.t.seed.projectId}/presence`, { headers: { Authorization: `Bearer ${token}` } });
    return { status: r.status, body: (await r.json()) as { items: { imageId: string; userId: string }[] } };
  };

  it('shows who is on which image, live, and forgets them when their last connection closes', async () => {
    const { seed } = ctx.t;
    const sse = await openSse(`${ctx.t.url}/api/projects/${seed.projectId}/events`, seed.tokens.manager);
    try {
      await sse.next((e) => e.event === 'ready', 10_000, 'the stream greeting');
      const ann = seed.users.annotator.id;
      const img = seed.images.assigned;
      const a = ctx.client(seed.tokens.annotator, docName('ann', img));
      const b = ctx.client(seed.tokens.annotator, docName('ann', img));
      await Promise.all([a.synced(), b.synced()]);
      const arrived = await sse.next((e) => e.event === 'presence' && e.data.present, 10_000, 'the arrival');
      expect(arrived.data).toEqual({ type: 'presence', imageId: img, userId: ann, present: true });
      expect((await list(seed.tokens.reviewer)).body.items).toEqual([{ imageId: img, userId: ann }]);

      // Two tabs, one person: closing one leaves them on the image.
      a.destroy();
      const reviewer = ctx.client(seed.tokens.reviewer, docName('ann', img));
      await reviewer.synced();
      await sse.next((e) => e.event === 'presence' && e.data.userId === seed.users.reviewer.id, 10_000, 'the reviewer arriving');
      expect(sse.events.filter((e) => e.event === 'presence' && !e.data.present)).toEqual([]);
      expect((await list(seed.tokens.manager)).body.items.map((e) => e.userId).sort()).toEqual([ann, seed.users.reviewer.id].sort());

      b.destroy();
      const left = await sse.next((e) => e.event === 'presence' && !e.data.present, 10_000, 'the departure');
      expect(left.data).toEqual({ type: 'presence', imageId: img, userId: ann, present: false });
      expect((await list(seed.tokens.manager)).body.items).toEqual([{ imageId: img, userId: seed.users.reviewer.id }]);
    } finally {
      sse.close();
    }
  });

  it('keeps presence from annotators, who see only their own images', async () => {
    const { status } = await list(ctx.t.seed.tokens.annotator);
    expect(status).toBe(403);
  });
});
