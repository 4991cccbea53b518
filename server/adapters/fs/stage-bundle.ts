// TypeScript user stages under plain Node (the bundled `tessera serve`, `tessera worker`): each
// stage file is bundled by esbuild with its own relative imports (helpers, ../shared/stage.ts) and
// imported from the bundle, instead of registering a TypeScript loader in the server (tsx's costs
// ~28 MB of idle RSS for the life of the process). Packages stay Node's: a bare import resolves as
// it would from the stage's file (its folder's node_modules first), else from Tessera's own, so
// zod and yjs are the installed single copies. A file that uses import.meta.url/filename/dirname
// gets its own source's, as unbundled.
//
// Bundles live in node_modules/.cache/tessera-stages/ under Tessera's folder, beside the commands'
// own bundles (tessera-cli/): a build product of the installed Tessera, not project data (the
// data folder is backed up and may be shared by versions). Per stage file, a record
// (<name>-<path hash>.json) lists the SHA-256 of every source the bundle was built from (the bytes
// esbuild compiled, read by the plugin) and the esbuild version; when all still match, its bundle
// is imported, else it is rebuilt. A bundle is named by its content's hash and written to a
// temporary name first, then renamed (as is the record), so a half-written or stale bundle is
// never imported, and a changed stage gets a new URL (Node caches modules by URL). The stage's
// older bundles are removed once an hour old (another process may have just read their record).
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, realpathSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Message, Plugin } from 'esbuild';
import { asciiOnly } from './ascii-only.js';
import { withSourceUrls } from './source-urls.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
export const STAGE_CACHE = join(ROOT, 'node_modules', '.cache', 'tessera-stages');
const sha256 = (b: Uint8Array | string) => createHash('sha256').update(b).digest('hex');
let esbuildVersion: string | undefined;
/** esbuild's version, read from its package.json: importing esbuild itself costs ~13 MB of RSS, which a cache hit does not pay. */
const installedEsbuild = (): string =>
  (esbuildVersion ??= (JSON.parse(readFileSync(join(dirname(createRequire(import.meta.url).resolve('esbuild')), '..', 'package.json'), 'utf8')) as { version: string }).version);

interface BundleRecord {
  esbuild: string;
  /** The bundle's file name, in the same folder. */
  output: string;
  /** Absolute path of every source bundled in → its SHA-256. */
  inputs: Record<string, string>;
}

/** A build failure: each esbuild error as `file:line:column: text`. */
const describe = (errors: Message[], cwd: string): string =>
  errors.map((m) => (m.location ? `${resolve(cwd, m.location.file)}:${m.location.line}:${m.location.column + 1}: ${m.text}` : m.text)).join('\n');

function writeAtomic(file: string, text: string): void {
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, text);
  try {
    renameSync(tmp, file);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
}

function freshBundle(record: string, dir: string, version: string): string | null {
  let r: BundleRecord;
  try {
    r = JSON.parse(readFileSync(record, 'utf8')) as BundleRecord;
  } catch {
    return null;
  }
  if (r.esbuild !== version || !existsSync(join(dir, r.output))) return null;
  for (const [file, sum] of Object.entries(r.inputs)) {
    let bytes: Buffer;
    try {
      bytes = readFileSync(file);
    } catch {
      return null;
    }
    if (sha256(bytes) !== sum) return null;
  }
  return join(dir, r.output);
}

/** The nearest tsconfig.json above `file`, as text (for esbuild's transform, which finds none itself). */
function tsconfigFor(file: string): string | undefined {
  for (let d = dirname(file); ; d = dirname(d)) {
    const t = join(d, 'tsconfig.json');
    if (existsSync(t)) return readFileSync(t, 'utf8');
    if (dirname(d) === d) return undefined;
  }
}

const SELF = Symbol('tessera-stage-resolve');
const PRUNE_AFTER_MS = 3600_000;

/** Removes the bundles of stage `id` other than `keep` that are older than an hour. */
function pruneOld(dir: string, id: string, keep: string): void {
  for (const f of readdirSync(dir)) {
    if (f === keep || !f.startsWith(`${id}-`) || !f.endsWith('.mjs')) continue;
    const st = statSync(join(dir, f), { throwIfNoEntry: false });
    if (st && Date.now() - st.mtimeMs > PRUNE_AFTER_MS) rmSync(join(dir, f), { force: true });
  }
}

/** Reads every own source (recording its hash), gives import.meta its source's values, leaves packages to Node. */
function stageSources(inputs: Record<string, string>): Plugin {
  const modules = realpathSync(join(ROOT, 'node_modules')) + sep;
  return {
    name: 'tessera-stage-sources',
    setup(build) {
      build.onResolve({ filter: /^[^./]/ }, async (args) => {
        if (args.pluginData === SELF) return undefined;
        const r = await build.resolve(args.path, { kind: args.kind, importer: args.importer, resolveDir: args.resolveDir, pluginData: SELF });
        // Not found from the stage's folder (or a Node built-in): Node looks from the bundle's, in Tessera's node_modules.
        if (r.errors.length || r.external || !r.path || r.path.startsWith(modules)) return { path: args.path, external: true };
        return { path: r.path, external: true };
      });
      build.onLoad({ filter: /\.[cm]?[jt]sx?$/ }, async (args) => {
        if (args.namespace !== 'file' || args.path.includes(`${sep}node_modules${sep}`)) return undefined;
        const bytes = readFileSync(args.path);
        inputs[args.path] = sha256(bytes);
        try {
          return await withSourceUrls(args.path, bytes.toString('utf8'), () => tsconfigFor(args.path));
        } catch (e) {
          return { errors: (e as { errors?: Message[] }).errors ?? [{ text: String(e) }] };
        }
      });
    },
  };
}

let building = 0;
let stopping: NodeJS.Immediate | null = null;

/**
 * The path of `file`'s bundle (an .mjs in `cacheDir`), built if no fresh one is there. Throws
 * with `file:line:column: message` for each error when it cannot be built. esbuild's service
 * process, started for the build, is stopped once no build of this module has been running for a
 * turn of the event loop (a folder's stages load one after another without one in between).
 */
export async function bundleStage(file: string, cacheDir: string = STAGE_CACHE): Promise<string> {
  const path = resolve(file);
  const id = `${basename(path).replace(/\.[^.]*$/, '')}-${sha256(path).slice(0, 12)}`;
  const record = join(cacheDir, `${id}.json`);
  const hit = freshBundle(record, cacheDir, installedEsbuild());
  if (hit) return hit;
  const esbuild = await import('esbuild');
  building++;
  if (stopping) (clearImmediate(stopping), (stopping = null));
  try {
    const inputs: Record<string, string> = {};
    let code: string;
    try {
      const out = await esbuild.build({
        entryPoints: [path],
        absWorkingDir: dirname(path),
        bundle: true,
        platform: 'node',
        format: 'esm',
        target: 'node20',
        write: false,
        logLevel: 'silent',
        keepNames: true,
        plugins: [stageSources(inputs)],
      });
      // Pure ASCII: a non-ASCII comment would make V8 hold the whole module as a two-byte string.
      code = asciiOnly(out.outputFiles[0].text);
    } catch (e) {
      const errors = (e as { errors?: Message[] }).errors;
      throw errors?.length ? new Error(describe(errors, dirname(path))) : e;
    }
    mkdirSync(cacheDir, { recursive: true });
    const output = `${id}-${sha256(code).slice(0, 16)}.mjs`;
    if (!existsSync(join(cacheDir, output))) writeAtomic(join(cacheDir, output), code);
    writeAtomic(record, JSON.stringify({ esbuild: esbuild.version, output, inputs } satisfies BundleRecord));
    pruneOld(cacheDir, id, output);
    return join(cacheDir, output);
  } finally {
    if (--building === 0) stopping = setImmediate(() => void (building === 0 && esbuild.stop()));
  }
}
