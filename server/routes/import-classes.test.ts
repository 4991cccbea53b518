// Finding 6 (issue 7): an import creates only the classes its annotations use, by the REST name
// rules, only for roles that may manage classes, and in one batch (linear, not a max(position)
// scan per class).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../main.ts';
import { seedProject, tempDir, type SeededProject } from '../testing/fixtures.ts';

let server: RunningServer;
let seed: SeededProject;
const dir = tempDir();

beforeAll(async () => {
  server = await startServer({ port: 0, dataDir: dir.dir, clientDir: null });
  seed = seedProject(server.db);
});
afterAll(async () => {
  await server.close();
  dir.cleanup();
});

/** COCO for the seeded 640×480 images: `categories` by name, one box per `used` name on `image`. */
const coco = (categories: string[], used: string[], image = 'free.png') =>
  JSON.stringify({
    images: [{ id: 1, file_name: image, width: 640, height: 480 }],
    categories: categories.map((name, i) => ({ id: i + 1, name })),
    annotations: used.map((name, i) => ({ id: i + 1, image_id: 1, category_id: categories.indexOf(name) + 1, bbox: [1, 1, 5, 5], area: 25, iscrowd: 0 })),
  });

async function importCoco(token: string, json: string) {
  const form = new FormData();
  form.append('format', 'coco');
  form.append('files', new Blob([json]), 'instances.json');
  const r = await fetch(`${server.url}/api/projects/${seed.projectId}/imports`, { method: 'POST', headers: { Authorization: `Bearer ${token}` }, body: form });
  return { status: r.status, body: (await r.json()) as any };
}
const classNames = () => (server.db.$client.prepare('select name from label_classes where project_id = ? order by position').pluck().all(seed.projectId) as string[]);
const shapesIn = (image: string) => server.db.$client.prepare('select count(*) from doc_updates where doc_name = ?').pluck().get(`ann:${image}`) as number;

describe('classes created by imports', () => {
  it('an engineer may import into existing classes only; unknown ones are reported and nothing is imported', async () => {
    const r = await importCoco(seed.tokens.engineer, coco(['truck', 'bus'], ['truck', 'bus']));
    expect(r.status).toBe(403);
    expect(r.body.error.message).toMatch(/no classes "truck", "bus"; a manager can add them/);
    expect(classNames()).toEqual([]);
    expect(shapesIn(seed.images.free)).toBe(0);
  });

  it('a manager\'s import creates only the classes its annotations use, cleaned like REST names', async () => {
    const r = await importCoco(seed.tokens.manager, coco(['car', 'unused', 'tab\tbed', 'x'.repeat(5000), 'bi\u202ecycle'], ['car', 'bi\u202ecycle']));
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.classesCreated).toEqual(['car', 'bicycle']);
    expect(classNames()).toEqual(['car', 'bicycle']);
    // …after which an engineer may import into them.
    const again = await importCoco(seed.tokens.engineer, coco(['car'], ['car'], 'assigned.png'));
    expect(again.status, JSON.stringify(again.body)).toBe(200);
    expect(again.body.classesCreated).toEqual([]);
  });

  it('refuses a used class name the REST API would refuse, naming it, and imports nothing', async () => {
    const before = classNames();
    const r = await importCoco(seed.tokens.manager, coco(['ok-class', 'y'.repeat(5000)], ['ok-class', 'y'.repeat(5000)], 'other.png'));
    expect(r.status).toBe(400);
    expect(r.body.error.message).toMatch(/class "y{60}…": use at most 200 characters/);
    expect(classNames()).toEqual(before);
  });

  it('refuses a 5,000-class import without creating any, and creates 1,000 in one batch (the classes read a constant number of times)', async () => {
    const many = Array.from({ length: 5000 }, (_, i) => `c${i}`);
    const before = classNames().length;
    const refused = await importCoco(seed.tokens.manager, coco(many, many, 'other.png'));
    expect(refused.status).toBe(413);
    expect(refused.body.error.message).toMatch(/would create 5000 label classes; the limit is 1000/);
    expect(classNames().length).toBe(before);

    // Count the statements that read the project's classes while 1,000 classes are created: a
    // constant number (a scan per insert would make it ≥ 1,000, and the import quadratic).
    const client = server.db.$client;
    const prepare = client.prepare.bind(client);
    let scans = 0;
    client.prepare = ((sql: string) => {
      if (/^\s*select\b[\s\S]*\bfrom\s+"?label_classes"?/i.test(sql)) scans++;
      return prepare(sql);
    }) as typeof client.prepare;
    try {
      const r = await importCoco(seed.tokens.manager, coco(many.slice(0, 1000), many.slice(0, 1000), 'other.png'));
      expect(r.status, JSON.stringify(r.body).slice(0, 300)).toBe(200);
      expect(r.body.classesCreated).toHaveLength(1000);
    } finally {
      client.prepare = prepare;
    }
    expect(scans).toBeLessThanOrEqual(5);
    expect(classNames().length).toBe(before + 1000);
  });
});
