// Provenance through real sync connections: two users edit one image's shapes over WebSockets, one
// forging the other as `author`; after compaction (twice, with edits between) the provenance route
// names the users whose connections really sent each change, and the approved revision keeps that
// provenance for good (later edits and compactions do not touch it).
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { ImageProvenance } from '../../shared/api/provenance.ts';
import { encodeStateVectorB64 } from '../../shared/api/review.ts';
import { addShape, moveShape, readShapes, relabelShape } from '../../shared/doc/annotations.ts';
import { sqliteUpdateStore } from '../adapters/sqlite/update-store.ts';
import { perTestSyncServer } from '../testing/sync-server.ts';
import { docUpdates, until } from '../testing/wait.ts';

describe('GET /api/projects/:id/images/:imageId/provenance', () => {
  const ctx = perTestSyncServer();
  const get = (token: string, imageId: string) =>
    fetch(`${ctx.t.url}/api/projects/${ctx.t.seed.projectId}/images/${imageId}/provenance`, { headers: { Authorization: `Bearer ${token}` } });

  it('names the real senders for every shape after compaction, not the forged author', async () => {
    const { seed, sync, server } = ctx.t;
    const doc = `ann:${seed.images.assigned}`;
    const ann = ctx.client(seed.tokens.annotator, doc);
    const man = ctx.client(seed.tokens.manager, doc);
    await Promise.all([ann.synced(), man.synced()]);
    const annotator = seed.users.annotator;
    const manager = seed.users.manager;
    const seen = (c: { doc: Y.Doc }, n: number, what: string) => until(() => readShapes(c.doc).shapes.length === n, [docUpdates(c.doc)], 5000, what);

    addShape(ann.doc, { id: 'a', kind: 'box', label: 'c1', points: [0, 0, 10, 10] }, { author: annotator.id });
    addShape(man.doc, { id: 'm', kind: 'box', label: 'c1', points: [5, 5, 20, 20] }, { author: annotator.id }); // forged
    await Promise.all([seen(ann, 2, 'both shapes at the annotator'), seen(man, 2, 'both shapes at the manager')]);
    await sync.core.flush();
    expect(readShapes(ann.doc).shapes.every((s) => s.author === annotator.id)).toBe(true); // the claim says annotator for both
    await sync.core.compact(doc);
    expect((await sqliteUpdateStore(server.db).loadRows(doc)).map((r) => r.userId)).toEqual([null]);

    // after the first compaction: the manager moves the annotator's box, the annotator relabels the manager's
    moveShape(man.doc, 'a', [1, 1, 9, 9], { author: annotator.id });
    relabelShape(ann.doc, 'm', 'c2', { author: manager.id });
    addShape(ann.doc, { id: 'late', kind: 'point', label: 'c1', points: [3, 3] }, { author: manager.id }); // forged the other way
    await seen(man, 3, 'the late point at the manager');
    await until(() => readShapes(ann.doc).shapes.find((s) => s.id === 'a')?.points[0] === 1, [docUpdates(ann.doc)], 5000, 'the move at the annotator');
    await sync.core.flush();
    await sync.core.compact(doc);

    const r = await get(seed.tokens.reviewer, seed.images.assigned);
    expect(r.status).toBe(200);
    const body = (await r.json()) as ImageProvenance;
    const who = (u: { id: string; username: string }) => ({ id: u.id, username: u.username });
    expect(body).toEqual({
      imageId: seed.images.assigned,
      items: [
        { shapeId: 'a', createdBy: who(annotator), changedBy: who(manager) },
        { shapeId: 'late', createdBy: who(annotator), changedBy: who(annotator) },
        { shapeId: 'm', createdBy: who(manager), changedBy: who(annotator) },
      ],
    });

    // approval stores exactly that provenance with the revision
    const post = (token: string, path: string, body: unknown) =>
      fetch(`${ctx.t.url}/api/projects/${seed.projectId}/images/${seed.images.assigned}/${path}`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    expect((await post(seed.tokens.annotator, 'submit', {})).status).toBe(200);
    const approved = await post(seed.tokens.reviewer, 'approve', { seen: encodeStateVectorB64(Y.encodeStateVector(ann.doc)) });
    expect(approved.status).toBe(200);
    const expected = {
      a: { createdBy: annotator.id, changedBy: manager.id },
      late: { createdBy: annotator.id, changedBy: annotator.id },
      m: { createdBy: manager.id, changedBy: annotator.id },
    };
    const stored = async () => (await server.services.data.review.latestApproved(seed.projectId)).find((r) => r.imageId === seed.images.assigned)!;
    expect((await stored()).provenance).toEqual(expected);
    // an edit after approval, compacted: the current provenance moves on, the revision's does not
    moveShape(man.doc, 'late', [4, 4], { author: annotator.id });
    await until(() => readShapes(ann.doc).shapes.find((s) => s.id === 'late')?.points[0] === 4, [docUpdates(ann.doc)], 5000, 'the last move at the annotator');
    await sync.core.flush();
    await sync.core.compact(doc);
    const now = (await (await get(seed.tokens.manager, seed.images.assigned)).json()) as ImageProvenance;
    expect(now.items.find((i) => i.shapeId === 'late')?.changedBy).toEqual(who(manager));
    expect((await stored()).provenance).toEqual(expected);
  });

  it('is refused for an image the caller may not see, and for another project', async () => {
    const { seed } = ctx.t;
    expect((await get(seed.tokens.annotator, seed.images.other)).status).toBe(403);
    expect((await get(seed.tokens.outsider, seed.images.assigned)).status).toBe(403);
    expect((await get(seed.tokens.manager, 'no-such-image')).status).toBe(404);
  });
});
