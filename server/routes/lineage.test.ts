// The lineage graph through the real server over a seeded history: two annotators trace shapes
// (one changes the other's), a reviewer approves through the review service (provenance kept with
// each revision), three releases, four runs. The release and run views are compared with graphs
// written out by hand here.
import { join } from 'node:path';
import * as Y from 'yjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addShape, updateShape, type ShapeId } from '../../shared/doc/index.ts';
import { encodeStateVectorB64 } from '../../shared/api/review.ts';
import { docName, type ImageId, type ProjectId, type Sha256, type UserId } from '../../shared/ids.ts';
import { startServer, type RunningServer } from '../main.ts';
import { createApiToken, createUser, type User } from '../services/auth.ts';
import { createClass } from '../services/classes.ts';
import { newId } from '../services/ids.ts';
import { createProject, setMember } from '../services/projects.ts';
import { cutRelease } from '../services/releases.ts';
import { approveImage, recordEdit, submitImage } from '../services/review.ts';
import { tempDir } from '../testing/fixtures.ts';

const dir = tempDir();
let server: RunningServer;
let projectId: ProjectId;
let token: string;
const u: Record<'ann1' | 'ann2' | 'rev' | 'eng', User> = {} as never;
const images: ImageId[] = [];
const blobs: string[] = [];
const rel: Sha256[] = [];
const runs: string[] = [];

const ZERO = { imagesAdded: 0, imagesRemoved: 0, imagesChanged: 0, shapesAdded: 0, shapesRemoved: 0, shapesMoved: 0, shapesRelabelled: 0, shapesChanged: 0 };

beforeAll(async () => {
  server = await startServer({ port: 0, dataDir: join(dir.dir, 'server'), clientDir: null });
  const s = server.services;
  const admin = await createUser(s, { username: 'admin', password: 'admin-password', isAdmin: true }, null);
  projectId = (await createProject(s, admin, { name: 'lineage' })).id as ProjectId;
  for (const [name, role] of [['ann1', 'annotator'], ['ann2', 'annotator'], ['rev', 'reviewer'], ['eng', 'engineer']] as const) {
    u[name] = await createUser(s, { username: name, password: `${name}-password`, isAdmin: false }, null);
    await setMember(s, admin.id, projectId, name, role);
  }
  token = (await createApiToken(s, u.eng.id, 't', 1)).token;
  const car = await createClass(s, admin.id, projectId, { name: 'car', color: '#ff0000' });
  for (let i = 0; i < 3; i++) {
    const put = await server.blobs.put(new TextEncoder().encode(`lineage image ${i}`));
    const id = newId() as ImageId;
    await s.data.transaction(async (r) => {
      await r.blobs.insertIfAbsent({ sha256: put.sha256, size: put.size, mime: 'image/png', createdAt: 1 });
      await r.images.insert({ id, projectId, sha256: put.sha256 as Sha256, fileName: `img-${i}.png`, mime: 'image/png', width: 100, height: 100, orientation: 1, thumbSha256: null, status: 'new', assigneeId: null, createdAt: 1, createdBy: admin.id });
    });
    images.push(id);
    blobs.push(put.sha256);
  }
  const assignee = [u.ann1, u.ann1, u.ann2];
  for (const [i, id] of images.entries()) await s.data.images.setAssignment(id, assignee[i].id, 'assigned');
  const draw = async (who: User, i: number, fn: (doc: Y.Doc) => void) => {
    await server.docs.change(docName('ann', images[i]), who.id, fn);
    await recordEdit(s.data, s.events, docName('ann', images[i]), who.id);
  };
  const box = (id: string, author: UserId) => (doc: Y.Doc) => void addShape(doc, { id, kind: 'box', label: car.id, points: [10, 10, 20, 20] }, { author });
  const approve = async (i: number) => {
    const doc = await server.docs.read(docName('ann', images[i]));
    const seen = encodeStateVectorB64(Y.encodeStateVector(doc));
    doc.destroy();
    await approveImage(s, { userId: u.rev.id, role: 'reviewer' }, projectId, images[i], seen);
  };
  const submit = (i: number) => submitImage(s, { userId: assignee[i].id, role: 'annotator' }, projectId, images[i]);
  const cut = async () => rel.push((await cutRelease(server.releases, u.eng.id, projectId, { split: { train: 0, val: 0, test: 1 } })).release.id);
  const record = async (release: number, model: string, split?: string) => {
    const res = await fetch(`${server.url}/api/projects/${projectId}/runs`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model, version: '1', release, metrics: { mAP: release / 10 }, ...(split ? { split } : {}) }),
    });
    expect(res.status).toBe(201);
    runs.push(((await res.json()) as { id: string }).id);
  };

  // @1: ann1 traces img-0 and img-1, ann2 traces img-2 and moves ann1's box on img-1 (the author claim says ann1).
  await draw(u.ann1, 0, box('a', u.ann1.id));
  await draw(u.ann1, 1, box('b', u.ann1.id));
  await draw(u.ann2, 2, box('c', u.ann2.id));
  await draw(u.ann2, 1, (doc) => void updateShape(doc, 'b' as ShapeId, { points: [12, 12, 20, 20] }, { author: u.ann1.id }));
  for (const i of [0, 1, 2]) (await submit(i), await approve(i));
  await cut();
  await record(1, 'det-a', 'test');
  // @2: ann2 adds a box on img-2.
  await draw(u.ann2, 2, box('d', u.ann2.id));
  await submit(2);
  await approve(2);
  await cut();
  await record(2, 'det-b');
  await record(2, 'det-c');
  // @3: ann1 adds a box on img-0.
  await draw(u.ann1, 0, box('e', u.ann1.id));
  await submit(0);
  await approve(0);
  await cut();
  await record(3, 'det-d', 'train');
}, 120_000);
afterAll(async () => {
  await server.close();
  dir.cleanup();
});

const get = async (query: string) => {
  const res = await fetch(`${server.url}/api/projects/${projectId}/lineage${query}`, { headers: { Authorization: `Bearer ${token}` } });
  return { status: res.status, body: (await res.json()) as any };
};

describe('lineage API', () => {
  const releaseNode = (i: number, shapes: number) => ({ id: `release:${rel[i]}`, kind: 'release', releaseId: rel[i], number: i + 1, createdAt: expect.any(Number), images: 3, shapes });
  const runNode = (i: number, model: string, release: number, split: string | null) => ({ id: `run:${runs[i]}`, kind: 'run', runId: runs[i], model, version: '1', split, metrics: { mAP: release / 10 }, createdAt: expect.any(Number) });
  const chain = () => ({
    nodes: [releaseNode(0, 3), releaseNode(1, 4), releaseNode(2, 5), runNode(0, 'det-a', 1, 'test'), runNode(1, 'det-b', 2, null), runNode(2, 'det-c', 2, null), runNode(3, 'det-d', 3, 'train')],
    edges: [
      { from: `release:${rel[0]}`, to: `release:${rel[1]}`, kind: 'parent', counts: { ...ZERO, imagesChanged: 1, shapesAdded: 1 } },
      { from: `release:${rel[1]}`, to: `release:${rel[2]}`, kind: 'parent', counts: { ...ZERO, imagesChanged: 1, shapesAdded: 1 } },
      { from: `release:${rel[0]}`, to: `run:${runs[0]}`, kind: 'run' },
      { from: `release:${rel[1]}`, to: `run:${runs[1]}`, kind: 'run' },
      { from: `release:${rel[1]}`, to: `run:${runs[2]}`, kind: 'run' },
      { from: `release:${rel[2]}`, to: `run:${runs[3]}`, kind: 'run' },
    ],
  });

  it('draws the release chain with every run for a release, and the latest release by default', async () => {
    const byNumber = await get('?release=2');
    expect(byNumber.status).toBe(200);
    expect(byNumber.body).toEqual({ ...chain(), focus: `release:${rel[1]}` });
    expect((await get('')).body).toEqual({ ...chain(), focus: `release:${rel[2]}` });
  });

  it("draws a run's release, its images and the real people behind them (counted over the run's split)", async () => {
    const { status, body } = await get(`?run=${runs[0]}`);
    expect(status).toBe(200);
    const c = chain();
    const imagesNode = `images:${rel[0]}`;
    expect(body).toEqual({
      focus: `run:${runs[0]}`,
      split: 'test',
      nodes: [
        ...c.nodes,
        { id: imagesNode, kind: 'images', releaseId: rel[0], count: 3 },
        { id: `person:${u.ann1.id}`, kind: 'person', userId: u.ann1.id, username: 'ann1' },
        { id: `person:${u.ann2.id}`, kind: 'person', userId: u.ann2.id, username: 'ann2' },
        { id: `person:${u.rev.id}`, kind: 'person', userId: u.rev.id, username: 'rev' },
      ],
      edges: [
        ...c.edges,
        { from: `release:${rel[0]}`, to: imagesNode, kind: 'contains', counts: { images: 3 } },
        // ann1 created a and b (img-0, img-1); ann2 created c (img-2) and last changed b (img-1).
        { from: `person:${u.ann1.id}`, to: imagesNode, kind: 'annotated', counts: { images: 2, shapes: 2 } },
        { from: `person:${u.ann2.id}`, to: imagesNode, kind: 'annotated', counts: { images: 2, shapes: 1 } },
        { from: `person:${u.rev.id}`, to: imagesNode, kind: 'reviewed', counts: { images: 3 } },
      ],
      images: [
        // In manifest order (by blob SHA-256).
        { imageId: images[0], fileName: 'img-0.png', split: 'test', shapes: 1, annotators: ['ann1'], reviewer: 'rev', blob: blobs[0] },
        { imageId: images[1], fileName: 'img-1.png', split: 'test', shapes: 1, annotators: ['ann1', 'ann2'], reviewer: 'rev', blob: blobs[1] },
        { imageId: images[2], fileName: 'img-2.png', split: 'test', shapes: 1, annotators: ['ann2'], reviewer: 'rev', blob: blobs[2] },
      ]
        .sort((a, b) => (a.blob < b.blob ? -1 : 1))
        .map(({ blob: _, ...im }) => im),
    });
  });

  it('counts no one for a run on a split with no images, and refuses bad queries', async () => {
    const { body } = await get(`?run=${runs[3]}`);
    expect(body.split).toBe('train');
    expect(body.images).toEqual([]);
    expect(body.nodes.filter((n: any) => n.kind === 'person')).toEqual([]);
    expect(body.edges.find((e: any) => e.kind === 'contains')).toEqual({ from: `release:${rel[2]}`, to: `images:${rel[2]}`, kind: 'contains', counts: { images: 0 } });
    expect((await get('?run=nope')).status).toBe(404);
    expect((await get('?release=9')).status).toBe(404);
    const both = await get(`?run=${runs[0]}&release=1`);
    expect(both.status).toBe(400);
    expect(both.body.error.message).toMatch(/run or release, not both/);
    expect((await get('?other=1')).status).toBe(400);
  });
});
