// An in-memory DataStore: the repositories over plain arrays, for tests and as proof that the
// repositories contract is not SQLite's. Transactions hold the store (serial.ts) and restore a
// copy of every table when they fail.
import { AppError } from '../../../shared/errors.ts';
import type { TokenRecord, UserRecord } from '../../ports/accounts.ts';
import { WHOLE_LOG, type AuditRecord } from '../../ports/audit.ts';
import type { BlobRecord, ImageRecord } from '../../ports/images.ts';
import type { UserId } from '../../../shared/ids.ts';
import type { ImageStatus } from '../../../shared/roles.ts';
import type { ClassRecord, MembershipRecord, ProjectRecord } from '../../ports/projects.ts';
import type { DataStore, Repositories } from '../../ports/repositories.ts';
import type { ApprovedRevisionRecord, ReviewEventRecord } from '../../ports/review.ts';
import { memoryReview } from './review.ts';

import { gated, serial, type SyncOf } from '../serial.ts';


interface Tables {
  users: UserRecord[];
  tokens: TokenRecord[];
  projects: ProjectRecord[];
  members: MembershipRecord[];
  classes: ClassRecord[];
  images: ImageRecord[];
  blobs: BlobRecord[];
  audit: AuditRecord[];
  reviewEvents: ReviewEventRecord[];
  revisions: ApprovedRevisionRecord[];
}

const byStr = <T>(key: (t: T) => string) => (a: T, b: T) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0);
const copy = <T>(rows: T[]) => rows.map((r) => structuredClone(r));

export function memoryDataStore(): DataStore {
  let t: Tables = { users: [], tokens: [], projects: [], members: [], classes: [], images: [], blobs: [], audit: [], reviewEvents: [], revisions: [] };
  let auditId = 0;
  let reviewEventId = 0;
  const unique = (taken: boolean, message: string) => {
    if (taken) throw new AppError('conflict', message);
  };
  const one = <T>(rows: T[], pred: (r: T) => boolean) => structuredClone(rows.find(pred) ?? null);

  const users: SyncOf<Repositories['users']> = {
    insert: (u) => {
      unique(t.users.some((x) => x.username === u.username), `username "${u.username}" is taken`);
      t.users.push(structuredClone(u));
    },
    byId: (id) => one(t.users, (u) => u.id === id),
    byUsername: (n) => one(t.users, (u) => u.username === n),
  };
  const tokens: SyncOf<Repositories['tokens']> = {
    insert: (x) => void t.tokens.push(structuredClone(x)),
    unrevokedBySecretHash: (h) => {
      const tok = t.tokens.find((x) => x.secretHash === h && x.revokedAt === null);
      const user = tok && t.users.find((u) => u.id === tok.userId);
      return tok && user ? structuredClone({ token: tok, user }) : null;
    },
    byId: (id) => one(t.tokens, (x) => x.id === id),
    listByUser: (userId, kind) =>
      copy(t.tokens.filter((x) => x.userId === userId && x.kind === kind).sort((a, b) => a.createdAt - b.createdAt || byStr<TokenRecord>((x) => x.id)(a, b))),
    revoke: (id, at) => {
      const tok = t.tokens.find((x) => x.id === id);
      if (tok) tok.revokedAt = at;
      return !!tok;
    },
    revokeAllOfUser: (userId, at) => {
      const open = t.tokens.filter((x) => x.userId === userId && x.revokedAt === null);
      for (const tok of open) tok.revokedAt = at;
      return open.length;
    },
  };
  const projects: SyncOf<Repositories['projects']> = {
    insert: (p) => {
      unique(t.projects.some((x) => x.name === p.name), `a project named "${p.name}" exists already`);
      t.projects.push(structuredClone(p));
    },
    byId: (id) => one(t.projects, (p) => p.id === id),
    byName: (n) => one(t.projects, (p) => p.name === n),
    update: (id, patch) => {
      if (patch.name !== undefined) unique(t.projects.some((x) => x.name === patch.name && x.id !== id), `a project named "${patch.name}" exists already`);
      const p = t.projects.find((x) => x.id === id);
      if (p) Object.assign(p, patch);
    },
    listForMember: (userId, { limit, after }) =>
      t.members
        .filter((m) => m.userId === userId)
        .map((m) => ({ ...structuredClone(t.projects.find((p) => p.id === m.projectId)!), role: m.role }))
        .filter((p) => after === undefined || p.name > after)
        .sort(byStr((p) => p.name))
        .slice(0, limit),
  };
  const members: SyncOf<Repositories['members']> = {
    get: (p, u) => one(t.members, (m) => m.projectId === p && m.userId === u),
    put: (m) => {
      const existing = t.members.find((x) => x.projectId === m.projectId && x.userId === m.userId);
      if (existing) existing.role = m.role;
      else t.members.push(structuredClone(m));
    },
    remove: (p, u) => {
      const before = t.members.length;
      t.members = t.members.filter((m) => !(m.projectId === p && m.userId === u));
      return t.members.length < before;
    },
    list: (p) =>
      t.members
        .filter((m) => m.projectId === p)
        .map((m) => {
          const u = t.users.find((x) => x.id === m.userId)!;
          return { userId: u.id, username: u.username, displayName: u.displayName, role: m.role };
        })
        .sort(byStr((m) => m.username)),
    countWithRole: (p, role) => t.members.filter((m) => m.projectId === p && m.role === role).length,
    rolesBeside: (userId, otherId) =>
      t.members.filter((m) => m.userId === userId && t.members.some((o) => o.userId === otherId && o.projectId === m.projectId)).map((m) => m.role),
  };
  const classes: SyncOf<Repositories['classes']> = {
    list: (p) => copy(t.classes.filter((c) => c.projectId === p).sort((a, b) => a.position - b.position || byStr<ClassRecord>((c) => c.id)(a, b))),
    get: (p, id) => one(t.classes, (c) => c.projectId === p && c.id === id),
    findBy: (p, field, value) => one(t.classes, (c) => c.projectId === p && c[field] === value),
    insert: (c) => {
      unique(t.classes.some((x) => x.projectId === c.projectId && x.name === c.name), `another class already has name "${c.name}"`);
      t.classes.push(structuredClone(c));
    },
    update: (id, patch) => {
      const c = t.classes.find((x) => x.id === id);
      if (!c) return;
      if (patch.name !== undefined) unique(t.classes.some((x) => x.projectId === c.projectId && x.name === patch.name && x.id !== id), `another class already has name "${patch.name}"`);
      Object.assign(c, patch);
    },
    remove: (id) => {
      const before = t.classes.length;
      t.classes = t.classes.filter((c) => c.id !== id);
      return t.classes.length < before;
    },
  };
  const imageOrder = (a: ImageRecord, b: ImageRecord) => byStr<ImageRecord>((i) => i.fileName)(a, b) || byStr<ImageRecord>((i) => i.id)(a, b);
  const images: SyncOf<Repositories['images']> = {
    insert: (r) => {
      unique(t.images.some((x) => x.projectId === r.projectId && x.sha256 === r.sha256), 'the project has an image with these bytes already');
      t.images.push(structuredClone(r));
    },
    byId: (id) => one(t.images, (i) => i.id === id),
    statusOf: (id) => {
      const i = t.images.find((x) => x.id === id);
      return i ? { projectId: i.projectId, status: i.status } : null;
    },
    bySha: (p, sha) => one(t.images, (i) => i.projectId === p && i.sha256 === sha),
    byIds: (p, ids) => {
      const wanted = new Set(ids);
      return copy(t.images.filter((i) => i.projectId === p && wanted.has(i.id)));
    },
    list: (p, filter, { limit, after }) =>
      copy(
        t.images
          .filter((i) => i.projectId === p)
          .filter((i) => !filter.status || i.status === filter.status)
          .filter((i) => filter.assigneeId === undefined || i.assigneeId === filter.assigneeId)
          .filter((i) => !after || i.fileName > after.fileName || (i.fileName === after.fileName && i.id > after.id))
          .sort(imageOrder)
          .slice(0, limit),
      ),
    listAll: (p) => t.images.filter((i) => i.projectId === p).sort(imageOrder).map(({ id, fileName, width, height }) => ({ id, fileName, width, height })),
    setAssignment: (id, assigneeId, status) => {
      const i = t.images.find((x) => x.id === id);
      if (i) Object.assign(i, { assigneeId, status });
    },
    countByStatus: (p, only) => {
      const by = new Map<string, { assigneeId: UserId | null; status: ImageStatus; count: number }>();
      for (const i of t.images) {
        if (i.projectId !== p || (only && i.assigneeId !== only)) continue;
        const key = `${i.assigneeId}\u0000${i.status}`;
        const row = by.get(key) ?? by.set(key, { assigneeId: i.assigneeId, status: i.status, count: 0 }).get(key)!;
        row.count++;
      }
      return [...by.values()];
    },
    moveStatus: (id, from, to) => {
      const i = t.images.find((x) => x.id === id && x.status === from);
      if (i) i.status = to;
      return !!i;
    },
    blobHolders: (sha, userId) =>
      t.images
        .filter((i) => i.sha256 === sha || i.thumbSha256 === sha)
        .flatMap((i) => t.members.filter((m) => m.projectId === i.projectId && m.userId === userId).map((m) => ({ role: m.role, assigneeId: i.assigneeId }))),
    thumbnailOf: (sha) => {
      for (const i of t.images) {
        const b = i.sha256 === sha && i.thumbSha256 ? t.blobs.find((x) => x.sha256 === i.thumbSha256) : undefined;
        if (b) return { sha256: b.sha256, size: b.size };
      }
      return null;
    },
    blobsInUse: (shas) => shas.filter((sha, i) => shas.indexOf(sha) === i && t.images.some((x) => x.sha256 === sha || x.thumbSha256 === sha)),
  };
  const blobs: SyncOf<Repositories['blobs']> = {
    insertIfAbsent: (b) => {
      if (!t.blobs.some((x) => x.sha256 === b.sha256)) t.blobs.push(structuredClone(b));
    },
    get: (sha) => one(t.blobs, (b) => b.sha256 === sha),
    remove: (sha) => {
      const before = t.blobs.length;
      t.blobs = t.blobs.filter((b) => b.sha256 !== sha);
      return t.blobs.length < before;
    },
  };
  const audit: SyncOf<Repositories['audit']> = {
    append: (e) => void t.audit.push(structuredClone({ ...e, id: ++auditId, details: e.details ?? null })),
    list: (p, { limit, before, filter: f = {} }) =>
      copy(
        t.audit
          .filter((e) => (p === WHOLE_LOG || e.projectId === p) && (before === undefined || e.id < before))
          .filter((e) => f.actorId === undefined || e.actorId === f.actorId)
          .filter((e) => (f.action === undefined || e.action === f.action) && (f.actionPrefix === undefined || e.action.startsWith(f.actionPrefix)))
          .filter((e) => (f.subject === undefined || e.subject === f.subject) && (f.since === undefined || e.at >= f.since) && (f.until === undefined || e.at < f.until))
          .sort((a, b) => b.id - a.id)
          .slice(0, limit),
      ),
    actions: (p) => [...new Set(t.audit.filter((e) => p === WHOLE_LOG || e.projectId === p).map((e) => e.action))].sort(),
  };

  const gate = serial();
  const repos: Repositories = {
    users: gated(gate, users),
    tokens: gated(gate, tokens),
    projects: gated(gate, projects),
    members: gated(gate, members),
    classes: gated(gate, classes),
    images: gated(gate, images),
    blobs: gated(gate, blobs),
    audit: gated(gate, audit),
    review: gated(gate, memoryReview(() => t, () => ++reviewEventId)),
  };
  return {
    ...repos,
    transaction(fn) {
      if (gate.inside()) return fn(repos);
      return gate.exclusive(async () => {
        const saved = structuredClone(t);
        const savedId = auditId;
        const savedReviewId = reviewEventId;
        try {
          return await fn(repos);
        } catch (e) {
          t = saved;
          auditId = savedId;
          reviewEventId = savedReviewId;
          throw e;
        }
      });
    },
    ping: async () => {},
  };
}
