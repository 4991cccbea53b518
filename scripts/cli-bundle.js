// The fast start of the commands that only talk HTTP (pull, release, …): each runs from one esbuild
// bundle of its TypeScript and the packages it uses, kept in node_modules/.cache/tessera-cli/, so
// it pays neither tsx's start-up nor hundreds of module loads. A bundle is built on first use and
// again whenever one of its sources (or package-lock.json) changed size or time; its first line
// records those, so bundle and record are swapped in by one atomic rename. Commands that import
// server/ (serve, gc, worker: their files find stage workers and migrations by import.meta.url)
// are never bundled. Plain JavaScript: it runs before anything can transform TypeScript.
import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const CACHE = join(ROOT, 'node_modules', '.cache', 'tessera-cli');
const MARK = '// tessera-cli-inputs ';
/** Commands whose modules import nothing from server/. */
export const BUNDLED = /** @type {const} */ (['pull', 'release', 'runs', 'run', 'convert', 'import']);
/** Files besides the bundle's own inputs that make it stale. */
const ALSO = ['package-lock.json', 'scripts/cli-bundle.js'];

/** @param {string} file */
const fingerprint = async (file) => {
  const s = await stat(join(ROOT, file)).catch(() => null);
  return s ? `${s.size}:${Math.trunc(s.mtimeMs)}` : 'missing';
};

/** @param {string} name @returns {Promise<string | null>} the bundle's path when it exists and is fresh */
async function freshBundle(name) {
  const file = join(CACHE, `${name}.mjs`);
  const text = await readFile(file, 'utf8').catch(() => null);
  if (!text?.startsWith(MARK)) return null;
  /** @type {Record<string, string>} */
  let inputs;
  try {
    inputs = JSON.parse(text.slice(MARK.length, text.indexOf('\n')));
  } catch {
    return null;
  }
  const now = await Promise.all(Object.keys(inputs).map(fingerprint));
  return Object.values(inputs).every((v, i) => v === now[i]) ? file : null;
}

/** @param {string} name */
async function build(name) {
  const esbuild = await import('esbuild');
  const started = Date.now();
  const out = await esbuild.build({
    stdin: {
      contents: `import { command } from './commands/${name}.ts';\nimport { runCommand } from './command.ts';\nexport const main = (rest) => runCommand(${JSON.stringify(name)}, command, rest);\n`,
      resolveDir: join(ROOT, 'scripts'),
      sourcefile: `tessera-${name}-entry.ts`,
      loader: 'ts',
    },
    absWorkingDir: ROOT,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    write: false,
    metafile: true,
    logLevel: 'silent',
    // Bundled CommonJS packages may call require() for Node built-ins.
    banner: { js: "import { createRequire as __tesseraRequire } from 'node:module'; const require = __tesseraRequire(import.meta.url);" },
  });
  const files = [...Object.keys(out.metafile.inputs).filter((f) => !f.includes('node_modules/') && !f.endsWith(`tessera-${name}-entry.ts`)), ...ALSO];
  /** @type {Record<string, string>} */
  const inputs = {};
  for (const f of files.sort()) {
    // A source saved while esbuild read it may not be in this bundle: record it as stale.
    const s = await stat(join(ROOT, f)).catch(() => null);
    inputs[relative(ROOT, join(ROOT, f))] = s && s.mtimeMs < started ? `${s.size}:${Math.trunc(s.mtimeMs)}` : 'changed';
  }
  await mkdir(CACHE, { recursive: true });
  const file = join(CACHE, `${name}.mjs`);
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, `${MARK}${JSON.stringify(inputs)}\n${out.outputFiles[0].text}`);
  await rename(tmp, file).catch(async (e) => {
    await rm(tmp, { force: true });
    throw e;
  });
  return file;
}

/**
 * The bundled `main(rest)` of command `name`, built or rebuilt if needed; null when the command is
 * not bundled or its bundle cannot be built here (the caller then runs it through tsx).
 * @param {string | undefined} name
 * @returns {Promise<((rest: string[]) => Promise<number>) | null>}
 */
export async function bundledMain(name) {
  if (!name || !BUNDLED.includes(/** @type {never} */ (name)) || process.env.TESSERA_NO_BUNDLE) return null;
  try {
    const file = (await freshBundle(name)) ?? (await build(name));
    return (await import(pathToFileURL(file).href)).main;
  } catch (e) {
    if (process.env.TESSERA_DEBUG) console.error(`tessera: running ${name} through tsx (no bundle: ${/** @type {Error} */ (e).message})`);
    return null;
  }
}
