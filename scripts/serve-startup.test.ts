// What `tessera serve` loads at start: its bundle imports statically only what every server needs.
// The packages behind a rare route (VOC and YAML parsing, zip reading and writing, image decoding,
// bundling stages) are imported where they are used, so an idle server never loads them
// (fast-xml-parser, yaml and fflate together cost ~4 MB of idle RSS).
import { join } from 'node:path';
import { build } from 'esbuild';
import { expect, it } from 'vitest';
import { buildOptions } from './cli-bundle.js';

const ROOT = join(import.meta.dirname, '..');
const ON_USE = ['fast-xml-parser', 'yaml', 'fflate', 'sharp', 'esbuild', 'tsx'];

it("imports the packages only a rare route needs where they are used, not in the serve bundle's start", async () => {
  // As cli-bundle.js builds the serve bundle (packages left to Node), from its entry alone.
  const out = await build(
    buildOptions({ stdin: { contents: "export { command } from './commands/serve.ts';\n", resolveDir: join(ROOT, 'scripts'), sourcefile: 'serve-entry.ts' } }),
  );
  const imports = Object.values(out.metafile.outputs)[0].imports.filter((i) => i.external);
  const pkg = (p: string) => (p.startsWith('@') ? p.split('/').slice(0, 2).join('/') : p.split('/')[0]);
  const atStart = new Set(imports.filter((i) => i.kind === 'import-statement').map((i) => pkg(i.path)));
  const onUse = new Set(imports.filter((i) => i.kind === 'dynamic-import').map((i) => pkg(i.path)));
  expect(ON_USE.filter((p) => atStart.has(p))).toEqual([]);
  expect(['fast-xml-parser', 'yaml', 'fflate'].filter((p) => !onUse.has(p))).toEqual([]);
  // The stack every server runs on is there from the start.
  expect(['hono', 'yjs', 'ws', 'better-sqlite3', 'drizzle-orm'].filter((p) => !atStart.has(p))).toEqual([]);
});
