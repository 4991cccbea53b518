// The layering, checked on the source: services, ports and the sync core depend on ports only (no
// drizzle-orm, better-sqlite3, node:fs or Hono), and shared/ does no I/O. Test files and test
// fixtures are exempt, and so are the user stages under server/jobs/test-stages/ (they read files
// as a user's stage would); any other storage import in server/jobs fails here.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));
const STORAGE = /^(drizzle-orm|better-sqlite3|hono|@hono\/.*|(node:)?fs(\/promises)?)(\/.*)?$/;
const IO = /^(drizzle-orm|better-sqlite3|hono|@hono\/.*|ws|(node:)?(fs|net|http|https|child_process|worker_threads)(\/.*)?)(\/.*)?$/;

/** Every module specifier a file imports: static, side-effect, re-export and dynamic `import()`. */
export function importsOf(source: string): string[] {
  const out: string[] = [];
  const re = /\b(?:import|export)\s+(?:type\s+)?(?:[^'";]*?\sfrom\s+)?['"]([^'"]+)['"]|\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g;
  for (const m of source.matchAll(re)) out.push(m[1] ?? m[2]);
  return out;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(join(root, dir), { recursive: true, withFileTypes: true })
    // tests, contract suites and test helpers (a `testing/` folder) are exempt
    .filter((e) => e.isFile() && /\.tsx?$/.test(e.name) && !/\.test\.tsx?$|\.contract\.ts$/.test(e.name) && !/(^|\/)testing(\/|$)/.test(e.parentPath))
    .map((e) => relative(root, join(e.parentPath, e.name)));
}

/** `file: specifier` for every import of `dirs` that `forbidden` matches. */
function offenders(dirs: string[], forbidden: RegExp): string[] {
  return dirs.flatMap((d) => sourceFiles(d).flatMap((f) => importsOf(readFileSync(join(root, f), 'utf8')).filter((s) => forbidden.test(s)).map((s) => `${f}: ${s}`)));
}

describe('layers', () => {
  it('finds every kind of import (so that the checks below can fail)', () => {
    const src = `import { a } from 'drizzle-orm';\nimport type { B } from "better-sqlite3";\nimport 'node:fs';\nexport { c } from 'hono/cookie';\nconst m = await import('node:fs/promises');\nimport {\n  x,\n  y,\n} from 'fs';`;
    expect(importsOf(src)).toEqual(['drizzle-orm', 'better-sqlite3', 'node:fs', 'hono/cookie', 'node:fs/promises', 'fs']);
    expect(importsOf(src).filter((s) => STORAGE.test(s))).toHaveLength(6);
  });

  it('services, ports and the sync core import no drizzle, better-sqlite3, node:fs or Hono', () => {
    expect(offenders(['server/services', 'server/ports', 'server/sync'], STORAGE)).toEqual([]);
  });

  it('shared/ does no I/O', () => {
    expect(offenders(['shared'], IO)).toEqual([]);
  });

  it('server/jobs has no storage imports: stage files, scratch folders and the files built-in stages read and write go through ports/stage-files.ts (test-stages/ are test fixtures: user stages that the worker tests load from a folder, as a user would write them)', () => {
    expect(offenders(['server/jobs'], STORAGE).filter((o) => !/^server\/jobs\/test-stages\/[a-z-]+\.ts: node:fs$/.test(o))).toEqual([]);
  });
});
