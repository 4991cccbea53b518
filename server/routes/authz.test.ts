// The authorization matrix: every route × every kind of caller, from one table. A route that the
// app serves but the table does not list fails the test, so a new route cannot ship without a rule.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROLES, type Role } from '../../shared/roles.ts';
import type { UserId } from '../../shared/ids.ts';
import { createApiToken, createUser } from '../services/auth.ts';
import { createClass } from '../services/classes.ts';
import { seedProject, type SeededProject } from '../testing/fixtures.ts';
import { testApp } from '../testing/app.ts';

type Caller = 'anonymous' | 'outsider' | 'admin' | Role;
const CALLERS: Caller[] = ['anonymous', 'outsider', 'admin', ...ROLES];
const SIGNED_IN: Caller[] = CALLERS.filter((c) => c !== 'anonymous');
const MEMBERS: Role[] = [...ROLES];
const only = (...r: Role[]) => r;

interface Rule {
  allow: readonly Caller[];
  body?: unknown;
}

/** Expected access per route. Bodies are valid enough to pass authorization; outcomes are checked elsewhere. */
const RULES: Record<string, Rule> = {
  'GET /health': { allow: CALLERS },
  'POST /api/auth/login': { allow: CALLERS, body: { username: 'p-qa', password: 'test-password' } },
  'POST /api/auth/logout': { allow: SIGNED_IN },
  'POST /api/auth/logout-everywhere': { allow: SIGNED_IN },
  'GET /api/me': { allow: SIGNED_IN },
  'GET /api/auth/session': { allow: CALLERS },
  'GET /api/me/tokens': { allow: SIGNED_IN },
  'POST /api/me/tokens': { allow: SIGNED_IN, body: { name: 'matrix' } },
  'DELETE /api/me/tokens/:tokenId': { allow: SIGNED_IN },
  'POST /api/users': { allow: ['admin'], body: { username: '' } },
  'GET /api/projects': { allow: SIGNED_IN },
  'POST /api/projects': { allow: ['admin'], body: {} },
  'GET /api/projects/:projectId': { allow: MEMBERS },
  'PATCH /api/projects/:projectId': { allow: only('manager'), body: {} },
  'GET /api/projects/:projectId/members': { allow: only('reviewer', 'engineer', 'qa', 'manager') },
  'GET /api/projects/:projectId/people': { allow: MEMBERS },
  'GET /api/projects/:projectId/progress': { allow: MEMBERS },
  'GET /api/projects/:projectId/presence': { allow: only('reviewer', 'engineer', 'qa', 'manager') },
  'GET /api/projects/:projectId/images/:imageId/provenance': { allow: MEMBERS },
  'POST /api/projects/:projectId/members': { allow: only('manager'), body: {} },
  'PATCH /api/projects/:projectId/members/:userId': { allow: only('manager'), body: { role: 'annotator' } },
  'DELETE /api/projects/:projectId/members/:userId': { allow: only('manager') },
  'GET /api/projects/:projectId/classes': { allow: MEMBERS },
  'POST /api/projects/:projectId/classes': { allow: only('manager'), body: {} },
  'PATCH /api/projects/:projectId/classes/:classId': { allow: only('manager'), body: {} },
  'DELETE /api/projects/:projectId/classes/:classId': { allow: only('manager') },
  'GET /api/projects/:projectId/audit': { allow: only('manager') },
  'GET /api/projects/:projectId/audit/actions': { allow: only('manager') },
  'GET /api/projects/:projectId/audit/export': { allow: only('manager') },
  'GET /api/projects/:projectId/images': { allow: MEMBERS },
  'POST /api/projects/:projectId/images': { allow: only('engineer', 'manager') },
  'POST /api/projects/:projectId/imports': { allow: only('engineer', 'manager') },
  'POST /api/projects/:projectId/images/assign': { allow: only('manager'), body: {} },
  'GET /api/projects/:projectId/images/:imageId': { allow: MEMBERS },
  'GET /api/blobs/:sha256': { allow: MEMBERS },
  // Releases (issue 13): reading is for engineers, QA and managers; cutting and aliases for
  // engineers and managers; QA verdicts for QA and managers.
  'POST /api/projects/:projectId/releases': { allow: only('engineer', 'manager'), body: {} },
  'GET /api/projects/:projectId/release-preview': { allow: only('engineer', 'manager') },
  'GET /api/projects/:projectId/releases': { allow: only('engineer', 'qa', 'manager') },
  'GET /api/projects/:projectId/releases/:ref': { allow: only('engineer', 'qa', 'manager') },
  'GET /api/projects/:projectId/releases/:ref/manifest': { allow: only('engineer', 'qa', 'manager') },
  'GET /api/projects/:projectId/releases/:ref/blobs/:sha256': { allow: only('engineer', 'qa', 'manager') },
  'GET /api/projects/:projectId/releases/:ref/export/:format': { allow: only('engineer', 'qa', 'manager') },
  'GET /api/projects/:projectId/releases/:ref/report': { allow: only('engineer', 'qa', 'manager') },
  'POST /api/projects/:projectId/releases/:ref/report': { allow: only('engineer', 'manager') },
  'GET /api/projects/:projectId/release-gate': { allow: only('engineer', 'qa', 'manager') },
  'PUT /api/projects/:projectId/release-gate': { allow: only('manager'), body: { validate: null } },
  'GET /api/projects/:projectId/release-gate/report': { allow: only('engineer', 'qa', 'manager') },
  'PUT /api/projects/:projectId/aliases/:name': { allow: only('engineer', 'manager'), body: { release: 1 } },
  'POST /api/projects/:projectId/releases/:ref/qa': { allow: only('qa', 'manager'), body: { status: 'validated', notes: '' } },
  // Model runs and lineage (issue 14): engineers record training runs, QA evaluations; managers too.
  'POST /api/projects/:projectId/runs': { allow: only('engineer', 'qa', 'manager'), body: {} },
  'GET /api/projects/:projectId/runs': { allow: only('engineer', 'qa', 'manager') },
  'GET /api/projects/:projectId/runs/:runId': { allow: only('engineer', 'qa', 'manager') },
  'POST /api/projects/:projectId/runs/:runId/notes': { allow: only('engineer', 'qa', 'manager'), body: { text: 'matrix' } },
  'GET /api/projects/:projectId/lineage': { allow: only('engineer', 'qa', 'manager') },
  'GET /api/stages': { allow: SIGNED_IN },
  'POST /api/projects/:projectId/pipeline-runs': { allow: only('engineer', 'manager'), body: {} },
  'GET /api/projects/:projectId/pipeline-runs': { allow: only('reviewer', 'engineer', 'qa', 'manager') },
  'GET /api/projects/:projectId/pipeline-runs/:runId': { allow: only('reviewer', 'engineer', 'qa', 'manager') },
  'POST /api/projects/:projectId/pipeline-runs/:runId/cancel': { allow: only('engineer', 'manager') },
  'GET /api/projects/:projectId/jobs/:jobId': { allow: only('reviewer', 'engineer', 'qa', 'manager') },
  'POST /api/projects/:projectId/jobs/:jobId/cancel': { allow: only('engineer', 'manager') },
  'POST /api/projects/:projectId/jobs/:jobId/retry': { allow: only('engineer', 'manager') },
  'GET /api/projects/:projectId/events': { allow: MEMBERS },
  'POST /api/admin/blobs/gc': { allow: ['admin'], body: { dryRun: true } },
  'GET /api/admin/audit': { allow: ['admin'] },
  'GET /api/admin/audit/actions': { allow: ['admin'] },
  'GET /api/admin/audit/export': { allow: ['admin'] },
  // Review: the service refuses what the role allows but the image's state does not (409, not a denial here).
  'POST /api/projects/:projectId/images/:imageId/submit': { allow: only('annotator', 'reviewer', 'manager'), body: {} },
  'POST /api/projects/:projectId/images/:imageId/approve': { allow: only('reviewer', 'manager'), body: { seen: 'AA==' } },
  'POST /api/projects/:projectId/images/:imageId/request-changes': { allow: only('reviewer', 'manager'), body: { reason: 'matrix' } },
  'GET /api/projects/:projectId/images/:imageId/revisions': { allow: MEMBERS },
  'GET /api/projects/:projectId/images/:imageId/revisions/:sha256': { allow: MEMBERS },
  'GET /api/projects/:projectId/images/:imageId/history': { allow: MEMBERS },
  'GET /api/projects/:projectId/review/queue': { allow: only('reviewer', 'manager') },
  'GET /api/projects/:projectId/review/my-work': { allow: only('annotator', 'reviewer', 'manager') },
  'GET /api/projects/:projectId/review/stats': { allow: only('manager') },
  'GET /api/projects/:projectId/comments/unread': { allow: MEMBERS },
  'POST /api/projects/:projectId/images/:imageId/comments/read': { allow: MEMBERS },
};

describe('authorization matrix', () => {
  const t = testApp();
  let s: SeededProject;
  let adminId: UserId;
  let params: Record<string, string>;
  let blobSha: string;

  beforeAll(async () => {
    s = seedProject(t.db);
    adminId = (await createUser(t.services, { username: 'root', password: 'root-password', isAdmin: true }, null)).id;
    const cls = await createClass(t.services, s.users.manager.id, s.projectId, { name: 'car', color: '#ff0000' });
    blobSha = t.db.$client.prepare('select sha256 from images where id = ?').pluck().get(s.images.assigned) as string;
    params = {
      projectId: s.projectId,
      imageId: s.images.assigned,
      // The outsider is no member here: an allowed call answers 404, and nothing changes for the other rows.
      userId: s.users.outsider.id,
      classId: cls.id,
      tokenId: 'no-such-token',
      sha256: blobSha,
      runId: 'no-such-run',
      jobId: 'no-such-job',
      ref: '1',
      name: 'prod',
      format: 'coco',
    };
  });
  afterAll(() => t.cleanup());

  /** Every concrete (method, path) the app serves, from Hono's own route list. */
  const served = () =>
    [...new Set(t.app.routes.filter((r) => r.method !== 'ALL' && !r.path.includes('*')).map((r) => `${r.method} ${r.path}`))].sort();

  it('has a rule for every route the app serves, and no rule for a route it does not', () => {
    expect(served().filter((r) => !RULES[r])).toEqual([]);
    expect(Object.keys(RULES).filter((r) => !served().includes(r))).toEqual([]);
  });

  const tokenFor = async (who: Caller): Promise<string | null> => {
    if (who === 'anonymous') return null;
    const userId = who === 'admin' ? adminId : s.users[who].id;
    // A fresh API token per request, so that logout in one row does not sign out the next.
    return (await createApiToken(t.services, userId, 'matrix', 1)).token;
  };

  for (const route of Object.keys(RULES)) {
    it(`${route}`, async () => {
      // The blob route needs bytes on disk for the allowed callers to get past the store.
      const rule = RULES[route];
      const [method, pattern] = route.split(' ');
      const path = pattern.replace(/:(\w+)/g, (_, k: string) => params[k]);
      const outcome: Record<string, string> = {};
      const expected: Record<string, string> = {};
      for (const who of CALLERS) {
        const token = await tokenFor(who);
        const headers: Record<string, string> = {};
        if (token) headers.Authorization = `Bearer ${token}`;
        let body: string | undefined;
        if (rule.body !== undefined) {
          headers['content-type'] = 'application/json';
          body = JSON.stringify(rule.body);
        }
        const res = await t.app.request(path, { method, headers, body });
        await res.body?.cancel(); // the event stream never ends by itself
        const denied = res.status === 401 || res.status === 403;
        outcome[who] = denied ? `deny ${res.status}` : 'allow';
        const allow = rule.allow.includes(who);
        expected[who] = allow ? 'allow' : `deny ${who === 'anonymous' ? 401 : 403}`;
      }
      expect(outcome).toEqual(expected);
    });
  }
});
