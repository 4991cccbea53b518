// The progress summary is counted by the server over the images the caller may see.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ProgressSummary } from '../../shared/api/progress.ts';
import { bearer, testApp } from '../testing/app.ts';
import { seedProject, type SeededProject } from '../testing/fixtures.ts';

let t: ReturnType<typeof testApp>;
let seed: SeededProject;
beforeEach(() => {
  t = testApp();
  seed = seedProject(t.db);
});
afterEach(() => t.cleanup());

const progress = async (token: string, query = '') => {
  const r = await t.app.request(`/api/projects/${seed.projectId}/progress${query}`, { headers: bearer(token) });
  return { status: r.status, body: (await r.json()) as ProgressSummary & { error?: { message: string } } };
};

describe('GET /api/projects/:id/progress', () => {
  it('counts every image by status and assignee for roles that see every image', async () => {
    const { status, body } = await progress(seed.tokens.manager);
    expect(status).toBe(200);
    expect(body.total).toBe(3);
    expect(body.counts).toMatchObject({ new: 1, assigned: 2, approved: 0 });
    const rows = Object.fromEntries(body.byAssignee.map((r) => [r.assignee ?? 'none', r.total]));
    expect(rows).toEqual({ [seed.users.annotator.id]: 1, [seed.users.annotator2.id]: 1, none: 1 });
  });

  it('counts only an annotator\'s own images for them', async () => {
    const { body } = await progress(seed.tokens.annotator);
    expect(body.total).toBe(1);
    expect(body.byAssignee.map((r) => r.assignee)).toEqual([seed.users.annotator.id]);
  });

  it('refuses a query parameter by name', async () => {
    const { status, body } = await progress(seed.tokens.manager, '?status=new');
    expect(status).toBe(400);
    expect(body.error?.message).toMatch(/status/);
  });
});
