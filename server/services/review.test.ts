// Edits move review state: through a real sync connection, an annotator's first edit moves the
// image to in_progress and the audit log records it; a read-only connection moves nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addShape, readShapes } from '../../shared/doc/index.ts';
import { docUpdates, every, until } from '../testing/wait.ts';
import { connectSyncClient } from '../sync/client.ts';
import { startSyncTestServer, type SyncTestServer } from '../testing/sync-server.ts';

let t: SyncTestServer;
beforeAll(async () => {
  t = await startSyncTestServer();
});
afterAll(() => t.close());

const statusOf = (id: string) => t.server.db.$client.prepare('select status from images where id = ?').pluck().get(id);

describe('review state from edits', () => {
  it('moves an assigned image to in_progress on its annotator\'s first edit, once, with an audit entry', async () => {
    const id = t.seed.images.assigned;
    expect(statusOf(id)).toBe('assigned');
    const c = connectSyncClient({ url: t.url, docName: `ann:${id}`, token: t.seed.tokens.annotator });
    // The server relays only after the update is durable and the hook ran: the observer's copy tells when.
    const observer = connectSyncClient({ url: t.url, docName: `ann:${id}`, token: t.seed.tokens.manager });
    try {
      await Promise.all([c.synced(), observer.synced()]);
      addShape(c.doc, { kind: 'box', label: 'cls', points: [1, 2, 3, 4] }, { author: t.seed.users.annotator.id });
      addShape(c.doc, { kind: 'box', label: 'cls', points: [5, 6, 7, 8] }, { author: t.seed.users.annotator.id });
      await until(() => readShapes(observer.doc).shapes.length === 2, [docUpdates(observer.doc)], 10_000, 'both shapes at the observer');
      expect(statusOf(id)).toBe('in_progress');
      const entries = t.server.db.$client.prepare("select actor_id, details from audit_log where action = 'review.edited' and subject = ?").all(id) as { actor_id: string; details: string }[];
      expect(entries).toEqual([{ actor_id: t.seed.users.annotator.id, details: JSON.stringify({ from: 'assigned', to: 'in_progress' }) }]);
    } finally {
      c.destroy();
      observer.destroy();
    }
  });

  it('leaves the status alone when a read-only client tries to edit', async () => {
    const id = t.seed.images.free;
    const c = connectSyncClient({ url: t.url, docName: `ann:${id}`, token: t.seed.tokens.engineer });
    try {
      await c.synced();
      addShape(c.doc, { kind: 'box', label: 'cls', points: [1, 2, 3, 4] }, { author: t.seed.users.engineer.id });
      // The permission-denied message has no event of its own on the provider: re-check on a timer.
      await until(() => c.denied.length > 0, [every(10)], 10_000, 'permission denied');
      expect(statusOf(id)).toBe('new');
    } finally {
      c.destroy();
    }
  });
});
