// The bundler of scripts/cli-bundle.js on a tiny fixture: in a bundle, a source file's
// import.meta.url / dirname / filename are its own (so `new URL('./x', import.meta.url)` finds
// its neighbours; a string naming them keeps its text), and the bundle is rebuilt when a source changes, reused while none does.
import { mkdirSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, expect, it } from 'vitest';
import { tempDir } from '../server/testing/fixtures.ts';
import { bundle } from './cli-bundle.js';

const t = tempDir();
afterAll(() => t.cleanup());

it('gives each bundled source file its own import.meta.url, dirname and filename; reuses a fresh bundle, rebuilds a stale one', async () => {
  const dir = join(t.dir, 'src', 'deep');
  const lib = join(dir, 'lib.ts');
  const entry = join(t.dir, 'src', 'entry.ts');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'data.txt'), 'beside lib.ts');
  writeFileSync(lib, "export const lib = { url: import.meta.url, dir: import.meta.dirname, file: import.meta.filename, data: new URL('./data.txt', import.meta.url).href, text: 'import.meta.url' };\n");
  writeFileSync(entry, "import { lib } from './deep/lib.ts';\nconst n: number = 1;\nexport const meta = { lib, entry: import.meta.url, n };\n");
  // Written a minute ago: a source saved while the bundle is built would be recorded as stale.
  const past = new Date(Date.now() - 60_000);
  for (const f of [lib, entry]) utimesSync(f, past, past);
  const out = join(t.dir, 'cache', 'entry.mjs');

  const file = await bundle({ file: out, entry });
  expect(file).toBe(out);
  const { meta } = (await import(`${pathToFileURL(file).href}?v=1`)) as { meta: { lib: Record<string, string>; entry: string; n: number } };
  expect(meta.entry).toBe(pathToFileURL(entry).href);
  expect(meta.lib).toEqual({ url: pathToFileURL(lib).href, dir, file: lib, data: pathToFileURL(join(dir, 'data.txt')).href, text: 'import.meta.url' });
  expect(readFileSync(new URL(meta.lib.data), 'utf8')).toBe('beside lib.ts');
  expect(meta.n).toBe(1);

  // Fresh: the same file, not rewritten.
  const built = statSync(out).mtimeMs;
  expect(await bundle({ file: out, entry })).toBe(out);
  expect(statSync(out).mtimeMs).toBe(built);

  // A changed source (new size and time) makes it stale.
  writeFileSync(entry, "import { lib } from './deep/lib.ts';\nconst n: number = 2;\nexport const meta = { lib, entry: import.meta.url, n };\n");
  utimesSync(entry, past, new Date(past.getTime() + 1000));
  await bundle({ file: out, entry });
  const again = (await import(`${pathToFileURL(out).href}?v=2`)) as { meta: { n: number } };
  expect(again.meta.n).toBe(2);
});

it('writes a pure ASCII bundle: non-ASCII in comments and strings is escaped, and strings keep their characters', async () => {
  const entry = join(t.dir, 'ascii', 'entry.ts');
  mkdirSync(join(t.dir, 'ascii'), { recursive: true });
  // esbuild keeps a comment inside an object literal; strings inside and outside the BMP.
  writeFileSync(entry, "export const text = {\n  /** 10 µs → one commit */\n  micro: 'µs → ok',\n  emoji: '\u{1F600}',\n};\n");
  const file = await bundle({ file: join(t.dir, 'cache', 'ascii.mjs'), entry });
  expect(readFileSync(file, 'utf8')).toMatch(/^[\x00-\x7f]*$/);
  const { text } = (await import(pathToFileURL(file).href)) as { text: Record<string, string> };
  expect(text).toEqual({ micro: 'µs → ok', emoji: '\u{1F600}' });
});

it('builds a bundle asked for twice at once only once (the bench forks two children of one bundle together)', async () => {
  const entry = join(t.dir, 'twice', 'entry.ts');
  mkdirSync(join(t.dir, 'twice'), { recursive: true });
  writeFileSync(entry, 'export const twice = 2;\n');
  const past = new Date(Date.now() - 60_000);
  utimesSync(entry, past, past);
  const out = join(t.dir, 'cache', 'twice.mjs');
  // Before, both calls built into the same `<file>.<pid>.tmp` and the second rename failed with ENOENT.
  const [a, b] = await Promise.all([bundle({ file: out, entry }), bundle({ file: out, entry })]);
  expect([a, b]).toEqual([out, out]);
  const { twice } = (await import(pathToFileURL(out).href)) as { twice: number };
  expect(twice).toBe(2);
});
