// The comment-index contract against the SQLite adapter (a fresh migrated database per test) and the memory one.
import { commentIndexContract } from '../ports/comment-index.contract.ts';
import type { ImageId, ProjectId, Sha256, UserId } from '../../shared/ids.ts';
import { tempDb } from '../testing/fixtures.ts';
import { memoryCommentIndex } from './memory/comment-index.ts';
import { gated } from './serial.ts';
import { sqliteCommentIndex } from './sqlite/comment-index.ts';
import { sqliteDataStore } from './sqlite/data-store.ts';
import { serialOf } from './sqlite/open.ts';

commentIndexContract('sqlite', () => {
  const t = tempDb();
  const store = sqliteDataStore(t.db);
  return {
    index: gated(serialOf(t.db), sqliteCommentIndex(t.db)),
    async seed({ users, images }) {
      for (const id of users) await store.users.insert({ id: id as UserId, username: id, displayName: id, passwordHash: 'x', isAdmin: false, createdAt: 1 });
      for (const projectId of new Set(images.map((i) => i.projectId))) await store.projects.insert({ id: projectId as ProjectId, name: projectId, description: '', createdAt: 1, createdBy: users[0] as UserId });
      for (const [n, i] of images.entries()) {
        const sha = String(n).padStart(64, '0') as Sha256;
        await store.blobs.insertIfAbsent({ sha256: sha, size: 1, mime: 'image/png', createdAt: 1 });
        await store.images.insert({ id: i.id as ImageId, projectId: i.projectId as ProjectId, sha256: sha, fileName: `${i.id}.png`, mime: 'image/png', width: 1, height: 1, orientation: 1, thumbSha256: null, status: 'new', assigneeId: null, createdAt: 1, createdBy: users[0] as UserId });
      }
    },
    close: t.cleanup,
  };
});

commentIndexContract('memory', () => ({ index: memoryCommentIndex(), seed: async () => {}, close: () => {} }));
