// TypeScript user stages as the bundled `tessera serve` loads them (forced here: under vitest they
// would be imported as is): bundled by esbuild with their helpers, import.meta of each source its
// own, packages from the stage's folder first and else Tessera's; a syntax error reported by
// file:line:column while the other stages load; an unchanged stage reuses its bundle and a changed
// helper gets a new one (older ones removed once an hour old).
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterEach, expect, it } from 'vitest';
import { z } from 'zod';
import { loadStageDir } from '../../jobs/loader.ts';
import { stageRegistry } from '../../jobs/registry.ts';
import { tempDir } from '../../testing/fixtures.ts';
import { sha256File } from '../../testing/jobs.ts';
import { bundleStage } from './stage-bundle.ts';
import { fsStageFiles } from './stage-files.ts';

const SHARED_STAGE = fileURLToPath(new URL('../../../shared/stage.ts', import.meta.url));
// Under Tessera's node_modules, as the real cache is: Node finds Tessera's packages from there.
const CACHE_PARENT = fileURLToPath(new URL('../../../node_modules/.cache/', import.meta.url));
let cleanups: Array<() => void> = [];
afterEach(() => {
  cleanups.forEach((c) => c());
  cleanups = [];
});

function stageFolder() {
  const t = tempDir();
  mkdirSync(CACHE_PARENT, { recursive: true });
  const cache = mkdtempSync(join(CACHE_PARENT, 'tessera-stages-test-'));
  cleanups.push(t.cleanup, () => rmSync(cache, { recursive: true, force: true }));
  const dir = join(t.dir, 'stages');
  mkdirSync(join(dir, 'node_modules', 'own-pkg'), { recursive: true });
  // A helper in a sub-folder (every .ts directly in the folder is a stage).
  mkdirSync(join(dir, 'lib'));
  writeFileSync(join(dir, 'node_modules', 'own-pkg', 'package.json'), JSON.stringify({ name: 'own-pkg', type: 'module', exports: './index.js' }));
  writeFileSync(join(dir, 'node_modules', 'own-pkg', 'index.js'), "export const own = 'own-pkg';\n");
  const helper = (v: string) => writeFileSync(join(dir, 'lib', 'helper.ts'), `export const where: string = import.meta.url;\nexport const label = (n: number): string => \`${v} \${n}\`;\n`);
  helper('v1');
  writeFileSync(
    join(dir, 'good.ts'),
    [
      "import { z } from 'zod';",
      `import { defineStage } from ${JSON.stringify(SHARED_STAGE)};`,
      "import { own } from 'own-pkg';",
      "import { label, where } from './lib/helper.ts';",
      // An enum: more than Node's type stripping takes.
      'enum Version { First = 1 }',
      'export default defineStage({ name: "good", version: Version.First, description: `${label(2)} ${own} ${where}`, params: z.object({}), output: z.null(), work: () => null });',
      '',
    ].join('\n'),
  );
  writeFileSync(join(dir, 'broken.ts'), `import { defineStage } from ${JSON.stringify(SHARED_STAGE)};\nexport default defineStage({ name: 'broken', output: , work: () => null });\n`);
  return { dir, cache, helper };
}

const bundles = (cache: string) => readdirSync(cache).filter((f) => f.endsWith('.mjs'));

it('bundles each TypeScript stage with its helpers, reports a syntax error by file:line:column and still loads the others', async () => {
  const { dir, cache } = stageFolder();
  const files = fsStageFiles({ typescript: 'bundle', cacheDir: cache });
  const registry = stageRegistry(files);
  const r = await loadStageDir(files, dir, registry);
  expect(r.loaded).toEqual(['good']);
  expect(r.problems).toEqual([{ file: join(dir, 'broken.ts'), message: expect.stringMatching(/:2:\d+: Unexpected ","$/) }]);
  expect(r.problems[0].message.startsWith(`${join(dir, 'broken.ts')}:2:`)).toBe(true);
  const good = registry.get('good')!;
  // The helper is bundled in, with its own import.meta.url; own-pkg from the stage's folder.
  expect(good.stage.description).toBe(`v1 2 own-pkg ${pathToFileURL(join(dir, 'lib', 'helper.ts')).href}`);
  expect(good.stage.version).toBe('1');
  // zod is Tessera's single copy: the stage's schemas are of the same classes as ours.
  expect(good.stage.params).toBeInstanceOf(z.ZodObject);
  expect(good.sourceSha).toBe(sha256File(join(dir, 'good.ts')));
  expect(bundles(cache)).toHaveLength(1);
  expect(readdirSync(cache).filter((f) => f.endsWith('.tmp'))).toEqual([]);
});

it('reuses a bundle while its sources are unchanged, builds a new one when a helper changes, and removes hour-old ones at the next build', async () => {
  const { dir, cache, helper } = stageFolder();
  const files = fsStageFiles({ typescript: 'bundle', cacheDir: cache });
  const first = await bundleStage(join(dir, 'good.ts'), cache);
  expect(await bundleStage(join(dir, 'good.ts'), cache)).toBe(first);
  helper('v2');
  const second = await bundleStage(join(dir, 'good.ts'), cache);
  expect(second).not.toBe(first);
  const registry = stageRegistry(files);
  await loadStageDir(files, dir, registry);
  expect(registry.get('good')!.stage.description).toMatch(/^v2 2 /);
  // The registry's hash stays the stage file's own source, as before bundling.
  expect(registry.get('good')!.sourceSha).toBe(sha256File(join(dir, 'good.ts')));
  expect(bundles(cache).sort()).toEqual([first, second].map((f) => f.slice(cache.length + 1)).sort());
  // Older bundles of the stage go at the next build once an hour old; the newest stays.
  const old = (Date.now() - 2 * 3600_000) / 1000;
  utimesSync(first, old, old);
  utimesSync(second, old, old);
  helper('v3');
  const third = await bundleStage(join(dir, 'good.ts'), cache);
  expect(bundles(cache)).toEqual([third.slice(cache.length + 1)]);
});

it('writes a pure ASCII bundle: a kept comment with µ or → is escaped, a string keeps its characters', async () => {
  const { dir, cache } = stageFolder();
  const stage = join(dir, 'micro.ts');
  // esbuild keeps a comment inside an object literal.
  writeFileSync(stage, "export const text = {\n  /** 10 µs → one step */\n  micro: 'µs → ok',\n};\n");
  const file = await bundleStage(stage, cache);
  expect(readFileSync(file, 'utf8')).toMatch(/^[\x00-\x7f]*$/);
  expect(((await import(pathToFileURL(file).href)) as { text: { micro: string } }).text.micro).toBe('µs → ok');
});
