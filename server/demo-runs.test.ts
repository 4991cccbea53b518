// The demo's model runs: a demo server has four runs with metrics on its first two releases, so
// its lineage graph shows releases, runs and (for QA's test-split run) the people behind them.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from './main.ts';
import { tempDir } from './testing/fixtures.ts';

const dir = tempDir();
let server: RunningServer;
let cookie: string;

beforeAll(async () => {
  server = await startServer({ port: 0, dataDir: join(dir.dir, 'data'), demo: true, clientDir: null, quiet: true });
  const res = await fetch(`${server.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'engineer', password: 'tessera' }) });
  cookie = `Bearer ${((await res.json()) as { token: string }).token}`;
}, 120_000);
afterAll(async () => {
  await server.close();
  dir.cleanup();
});

const get = async (path: string) => (await fetch(`${server.url}/api/projects/${server.demo!.projectId}${path}`, { headers: { Authorization: cookie } })).json() as Promise<any>;

describe('demo runs', () => {
  it('seeds four runs with metrics against the first two releases', async () => {
    const { items } = await get('/runs');
    expect(items.map((r: any) => [r.releaseNumber, r.version, r.split])).toEqual([
      [2, '0.2.0', 'test'],
      [2, '0.2.0', 'val'],
      [1, '0.1.0', 'test'],
      [1, '0.1.0', 'val'],
    ]);
    for (const r of items) {
      expect(typeof r.metrics.mAP).toBe('number');
      expect(Object.keys(r.metrics.AP).sort()).toEqual(['bicycle', 'car', 'dog', 'person', 'traffic light']);
    }
    // Did the new labels help? Every run on @2 scores above its counterpart on @1.
    expect(items[0].metrics.mAP).toBeGreaterThan(items[2].metrics.mAP);
    expect(items[1].metrics.mAP).toBeGreaterThan(items[3].metrics.mAP);
  });

  it('draws the lineage of the QA run on @2 with the annotators and the reviewer behind its test split', async () => {
    const { items } = await get('/runs');
    const g = await get(`/lineage?run=${items[0].id}`);
    expect(g.nodes.filter((n: any) => n.kind === 'release').map((n: any) => n.number)).toEqual([1, 2]);
    expect(g.nodes.filter((n: any) => n.kind === 'run')).toHaveLength(4);
    const people = g.nodes.filter((n: any) => n.kind === 'person').map((n: any) => n.username);
    expect(people).toContain('reviewer');
    expect(people.some((p: string) => p.startsWith('annotator'))).toBe(true);
    expect(g.images.length).toBeGreaterThan(0);
    expect(g.images.every((im: any) => im.split === 'test')).toBe(true);
  });
});
