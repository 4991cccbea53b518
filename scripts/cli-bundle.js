// Every `tessera` command runs from one esbuild bundle of its TypeScript, kept in
// node_modules/.cache/tessera-cli/, so it pays neither tsx's start-up and memory nor hundreds of
// module loads. A bundle is built on first use and again whenever one of its sources (or
// package-lock.json) changed size or time; its first line records those, so bundle and record are
// swapped in by one atomic rename. The commands that only talk HTTP bundle their packages too; the
// ones that import server/ (serve, worker, gc) leave packages to Node (one yjs, native
// better-sqlite3 and sharp as installed), and their files' `import.meta.url` is the source file's
// own URL (sourceUrls), so stage modules, migrations and worker scripts are found as unbundled.
// When a bundle cannot be built the caller runs the command through tsx. Plain JavaScript: it
// runs before anything can transform TypeScript.
import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { asciiOnly } from '../server/adapters/fs/ascii-only.js';
import { withSourceUrls } from '../server/adapters/fs/source-urls.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const CACHE = join(ROOT, 'node_modules', '.cache', 'tessera-cli');
const MARK = '// tessera-cli-inputs ';
/** Commands whose modules import nothing from server/: their packages are bundled too. */
const HTTP_ONLY = ['pull', 'release', 'runs', 'run', 'convert', 'import'];
/** Every bundled command. */
export const BUNDLED = /** @type {const} */ ([...HTTP_ONLY, 'serve', 'worker', 'gc']);
/** Files besides the bundle's own inputs that make it stale. */
const ALSO = ['package-lock.json', 'scripts/cli-bundle.js', 'server/adapters/fs/ascii-only.js', 'server/adapters/fs/source-urls.js'];

/**
 * An esbuild plugin: in the project's own files (not node_modules), `import.meta.url`,
 * `import.meta.filename` and `import.meta.dirname` become the original source file's
 * (server/adapters/fs/source-urls.js), compiled under the project's tsconfig.
 * @type {import('esbuild').Plugin}
 */
export const sourceUrls = {
  name: 'tessera-source-urls',
  setup(build) {
    /** @type {Promise<string> | undefined} */
    let tsconfig;
    build.onLoad({ filter: /\.[cm]?[jt]sx?$/ }, async (args) => {
      if (args.path.includes('/node_modules/') || args.namespace !== 'file') return undefined;
      // As it is when it does not use import.meta (withSourceUrls compiles only the files that do).
      return withSourceUrls(args.path, await readFile(args.path, 'utf8'), () => (tsconfig ??= readFile(join(ROOT, 'tsconfig.json'), 'utf8')));
    });
  },
};

/** @param {string} file */
const fingerprint = async (file) => {
  const s = await stat(join(ROOT, file)).catch(() => null);
  return s ? `${s.size}:${Math.trunc(s.mtimeMs)}` : 'missing';
};

/** @param {string} file @returns {Promise<string | null>} the bundle's path when it exists and is fresh */
async function fresh(file) {
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

/**
 * @typedef {object} BundleSpec
 * @property {string} file where the bundle goes (an .mjs)
 * @property {string} [entry] the entry module (absolute path), or:
 * @property {{ contents: string, resolveDir: string, sourcefile: string }} [stdin] an entry given as text
 * @property {boolean} [packages] bundle node_modules too (the HTTP-only commands); default: Node loads them
 */

let building = 0;
/** @type {Map<string, Promise<string>>} bundle file → its check-or-build under way */
const inFlight = new Map();

/** @param {BundleSpec} spec */
async function build(spec) {
  const esbuild = await import('esbuild');
  building++;
  try {
    return await buildOnce(esbuild, spec);
  } finally {
    // esbuild's service process would otherwise live as long as the command (tessera serve).
    if (--building === 0) await esbuild.stop();
  }
}

/**
 * The esbuild options every bundle is built with (serve-startup.test.ts builds the serve bundle
 * with them to check what it imports at start).
 * @param {Pick<BundleSpec, 'entry' | 'stdin' | 'packages'>} spec
 * @returns {import('esbuild').BuildOptions & { write: false, metafile: true }}
 */
export function buildOptions({ entry, stdin, packages = false }) {
  return {
    ...(stdin ? { stdin: { ...stdin, loader: 'ts' } } : { entryPoints: [/** @type {string} */ (entry)] }),
    absWorkingDir: ROOT,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    write: false,
    metafile: true,
    logLevel: 'silent',
    // Class and function names stay what the sources say (errors, logs), whatever the bundle renames.
    keepNames: true,
    plugins: [sourceUrls],
    ...(packages
      ? // Bundled CommonJS packages may call require() for Node built-ins.
        { banner: { js: "import { createRequire as __tesseraRequire } from 'node:module'; const require = __tesseraRequire(import.meta.url);" } }
      : { packages: 'external' }),
  };
}

/** @param {typeof import('esbuild')} esbuild @param {BundleSpec} spec */
async function buildOnce(esbuild, spec) {
  const { file, stdin } = spec;
  const started = Date.now();
  const out = await esbuild.build(buildOptions(spec));
  const own = Object.keys(out.metafile.inputs).filter((f) => !f.includes('node_modules/') && !(stdin && f.endsWith(stdin.sourcefile)));
  /** @type {Record<string, string>} */
  const inputs = {};
  for (const f of [...own, ...ALSO].sort()) {
    // A source saved while esbuild read it may not be in this bundle: record it as stale.
    const s = await stat(join(ROOT, f)).catch(() => null);
    inputs[relative(ROOT, join(ROOT, f))] = s && s.mtimeMs < started ? `${s.size}:${Math.trunc(s.mtimeMs)}` : 'changed';
  }
  await mkdir(dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  // Pure ASCII, so that V8 holds the bundle's source as one byte a character (ascii-only.js).
  await writeFile(tmp, asciiOnly(`${MARK}${JSON.stringify(inputs)}\n${out.outputFiles[0].text}`));
  await rename(tmp, file).catch(async (e) => {
    await rm(tmp, { force: true });
    throw e;
  });
  return file;
}

/**
 * The path of the bundle `spec.file`, built or rebuilt if a source changed. Throws when it cannot
 * be built. The bench builds its server children with it, as `tessera serve` is built.
 * @param {BundleSpec} spec
 * @returns {Promise<string>}
 */
export function bundle(spec) {
  // One check-or-build per file at a time: two callers in one process (the bench forks its floor
  // children together) would otherwise build it twice into the same temporary file.
  let pending = inFlight.get(spec.file);
  if (!pending) {
    pending = (async () => (await fresh(spec.file)) ?? (await build(spec)))();
    inFlight.set(spec.file, pending);
    const forget = () => inFlight.delete(spec.file);
    pending.then(forget, forget);
  }
  return pending;
}

/**
 * The bundled `main(rest)` of command `name`, built or rebuilt if needed; null when the command is
 * not bundled, TESSERA_NO_BUNDLE is set, or its bundle cannot be built here (the caller then runs
 * it through tsx; TESSERA_DEBUG says why).
 * @param {string | undefined} name
 * @returns {Promise<((rest: string[]) => Promise<number>) | null>}
 */
export async function bundledMain(name) {
  if (!name || !BUNDLED.includes(/** @type {never} */ (name)) || process.env.TESSERA_NO_BUNDLE) return null;
  try {
    const t0 = Date.now();
    const file = await bundle({
      file: join(CACHE, `${name}.mjs`),
      stdin: {
        contents: `import { command } from './commands/${name}.ts';\nimport { runCommand } from './command.ts';\nexport const main = (rest) => runCommand(${JSON.stringify(name)}, command, rest);\n`,
        resolveDir: join(ROOT, 'scripts'),
        sourcefile: `tessera-${name}-entry.ts`,
      },
      packages: HTTP_ONLY.includes(name),
    });
    if (process.env.TESSERA_DEBUG) console.error(`tessera: ${name} runs from ${file} (${Date.now() - t0} ms to check or build it)`);
    return (await import(pathToFileURL(file).href)).main;
  } catch (e) {
    if (process.env.TESSERA_DEBUG) console.error(`tessera: running ${name} through tsx (no bundle: ${/** @type {Error} */ (e).message})`);
    return null;
  }
}
