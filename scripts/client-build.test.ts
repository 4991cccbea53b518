import { mkdirSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDir, type TempDir } from '../server/testing/fixtures.ts';
import { clientIsStale } from './client-build.ts';

let t: TempDir;
afterEach(() => t.cleanup());

function layout() {
  t = tempDir();
  const client = join(t.dir, 'client');
  const shared = join(t.dir, 'shared');
  mkdirSync(join(client, 'src'), { recursive: true });
  mkdirSync(join(client, 'dist'), { recursive: true });
  mkdirSync(shared, { recursive: true });
  const file = (p: string, at: number) => {
    writeFileSync(p, 'x');
    utimesSync(p, at, at);
  };
  return { client, shared, file };
}

describe('clientIsStale', () => {
  it('is stale without a build, fresh after one, stale again when a client or shared source changes', () => {
    const { client, shared, file } = layout();
    file(join(client, 'src', 'main.tsx'), 1000);
    file(join(shared, 'policy.ts'), 1000);
    expect(clientIsStale(client, shared)).toBe(true);
    file(join(client, 'dist', 'index.html'), 2000);
    expect(clientIsStale(client, shared)).toBe(false);
    file(join(shared, 'policy.ts'), 3000);
    expect(clientIsStale(client, shared)).toBe(true);
    file(join(client, 'dist', 'index.html'), 4000);
    file(join(client, 'src', 'main.tsx'), 5000);
    expect(clientIsStale(client, shared)).toBe(true);
  });

  it('is stale after an install that changed the packages', () => {
    const { client, shared, file } = layout();
    mkdirSync(join(t.dir, 'node_modules'));
    file(join(client, 'src', 'main.tsx'), 1000);
    file(join(t.dir, 'package-lock.json'), 1000);
    file(join(client, 'dist', 'index.html'), 2000);
    expect(clientIsStale(client, shared, t.dir)).toBe(false);
    file(join(t.dir, 'node_modules', '.package-lock.json'), 3000);
    expect(clientIsStale(client, shared, t.dir)).toBe(true);
  });

  it('ignores test files, which are not part of the bundle', () => {
    const { client, shared, file } = layout();
    file(join(client, 'src', 'main.tsx'), 1000);
    file(join(client, 'dist', 'index.html'), 2000);
    file(join(client, 'src', 'geometry.test.ts'), 3000);
    expect(clientIsStale(client, shared)).toBe(false);
  });
});
