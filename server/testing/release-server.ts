// A real server on port 0 with a project ready to release: an admin, label classes, images with
// real bytes (PNG noise, so they are large and incompressible) and box annotations written through
// the server's document writer, approved as the review service does (the state at approval).
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import sharp from 'sharp';
import * as Y from 'yjs';
import { addShape } from '../../shared/doc/index.ts';
import { docName, type ImageId, type ProjectId, type Sha256, type UserId } from '../../shared/ids.ts';
import { startServer, type RunningServer } from '../main.ts';
import { createApiToken, createUser } from '../services/auth.ts';
import { createClass } from '../services/classes.ts';
import { newId } from '../services/ids.ts';
import { createProject } from '../services/projects.ts';
import { memoryRevisions } from './revisions.ts';

export interface ReleaseServer {
  server: RunningServer;
  projectId: ProjectId;
  adminId: UserId;
  token: string;
  images: Array<{ id: ImageId; sha256: string; fileName: string }>;
  approve(imageId: ImageId): Promise<void>;
  close(): Promise<void>;
}

/** `count` images of `side`×`side` noise PNG with 1–3 boxes each; all approved. */
export async function releaseServer(dataDir: string, o: { count: number; side?: number; project?: string; raw?: boolean }): Promise<ReleaseServer> {
  const revisions = memoryRevisions();
  const server = await startServer({ port: 0, dataDir: join(dataDir, 'server'), clientDir: null }, { revisions });
  const admin = await createUser(server.services, { username: 'boss', password: 'boss-pass', isAdmin: true }, null);
  const project = await createProject(server.services, admin, { name: o.project ?? 'rel' });
  const projectId = project.id as ProjectId;
  const car = await createClass(server.services, admin.id, projectId, { name: 'car', color: '#ff0000' });
  const person = await createClass(server.services, admin.id, projectId, { name: 'person', color: '#00ff00' });
  const token = (await createApiToken(server.services, admin.id, 'test', 1)).token;
  const side = o.side ?? 64;
  const images: ReleaseServer['images'] = [];
  for (let i = 0; i < o.count; i++) {
    const bytes = o.raw
      ? createHash('sha512').update(`raw ${i}`).digest().toString('hex').repeat(Math.ceil((side * side * 3) / 128)).slice(0, side * side * 3)
      : await sharp({ create: { width: side, height: side, channels: 3, background: '#808080', noise: { type: 'gaussian', mean: 128 + (i % 50), sigma: 40 } } }).png().toBuffer();
    const put = await server.blobs.put(Buffer.from(bytes));
    const id = newId() as ImageId;
    const fileName = `img-${String(i).padStart(5, '0')}.png`;
    await server.services.data.transaction(async (r) => {
      await r.blobs.insertIfAbsent({ sha256: put.sha256, size: put.size, mime: 'image/png', createdAt: 1 });
      await r.images.insert({ id, projectId, sha256: put.sha256 as Sha256, fileName, mime: 'image/png', width: side, height: side, orientation: 1, thumbSha256: null, status: 'in_progress', assigneeId: null, createdAt: 1, createdBy: admin.id });
    });
    await server.docs.change(docName('ann', id), admin.id, (doc) => {
      for (let k = 0; k <= i % 3; k++) {
        addShape(doc, { id: `s${i}-${k}`, kind: 'box', label: k % 2 ? person.id : car.id, points: [k * 4 + 1, k * 3 + 2, side / 4 + k, side / 5 + k] }, { author: admin.id, now: 1 });
      }
    });
    images.push({ id, sha256: put.sha256, fileName });
  }
  const approve = async (imageId: ImageId) => {
    const doc = await server.docs.read(docName('ann', imageId));
    revisions.set(projectId, imageId, Y.encodeStateAsUpdate(doc));
    doc.destroy();
    const row = (await server.services.data.images.byId(imageId))!;
    await server.services.data.images.moveStatus(imageId, row.status, 'approved');
  };
  for (const im of images) await approve(im.id);
  return { server, projectId, adminId: admin.id, token, images, approve, close: () => server.close() };
}
