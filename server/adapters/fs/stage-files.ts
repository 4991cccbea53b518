// StageFiles and ScratchDirs on the real filesystem: stage folders, source bytes, module imports,
// and job scratch folders under a root (the OS temp folder unless given). A TypeScript stage is
// imported as is under a loader that compiles it (tsx, vitest); under plain Node (the bundled
// `tessera serve`) it is bundled by esbuild and the bundle imported (stage-bundle.ts), so no
// TypeScript loader lives in the server. Which applies is decided once, before the first
// TypeScript stage (Node keeps a failed import's error for its URL).
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, statSync, writeFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ScratchDirs, StageFiles, WalkedFile } from '../../ports/stage-files.ts';
import { bundleStage, STAGE_CACHE } from './stage-bundle.ts';

const TYPESCRIPT = /\.[cm]?tsx?$/;
let compiling: Promise<boolean> | null = null;

/** Whether a loader that compiles TypeScript (tsx, vitest) is active: an enum is more than Node's type stripping takes. */
const compilingLoader = (): Promise<boolean> =>
  (compiling ??= import(new URL('./ts-probe.ts', import.meta.url).href).then(
    () => true,
    () => false,
  ));

export interface FsStageFilesOptions {
  /**
   * How a TypeScript stage loads: `auto` imports it as is when a compiling loader is active and
   * bundles it otherwise; `bundle` always bundles it (tests of the plain-Node path).
   */
  typescript?: 'auto' | 'bundle';
  /** Where stage bundles are kept (default: node_modules/.cache/tessera-stages/ under Tessera's folder). */
  cacheDir?: string;
}

export function fsStageFiles({ typescript = 'auto', cacheDir = STAGE_CACHE }: FsStageFilesOptions = {}): StageFiles {
  return {
    exists: (path) => existsSync(path),
    files: (dir) =>
      readdirSync(resolve(dir), { withFileTypes: true })
        .filter((e) => e.isFile())
        .map((e) => e.name)
        .sort(),
    read: (file) => readFileSync(file),
    async load(file) {
      if (!existsSync(file)) throw new Error(`no such file: ${file}`);
      let module = resolve(file);
      if (TYPESCRIPT.test(file) && (typescript === 'bundle' || !(await compilingLoader()))) module = await bundleStage(module, cacheDir);
      return ((await import(pathToFileURL(module).href)) as { default?: unknown }).default;
    },
    realpath(path) {
      try {
        return realpathSync(path);
      } catch {
        throw new Error(`no such file or folder: ${path}`);
      }
    },
    stat(path) {
      const st = statSync(path, { throwIfNoEntry: false });
      return st ? { dir: st.isDirectory(), size: st.isDirectory() ? 0 : st.size } : null;
    },
    walk(dir, { hidden = false, maxFiles = Infinity } = {}) {
      const out: WalkedFile[] = [];
      const visit = (rel: string) => {
        for (const name of readdirSync(join(dir, rel)).sort()) {
          if (out.length > maxFiles) return;
          if (!hidden && name.startsWith('.')) continue;
          const path = rel ? `${rel}/${name}` : name;
          const st = lstatSync(join(dir, path)); // not stat: a link is not followed
          if (st.isDirectory()) visit(path);
          else if (st.isFile()) out.push({ path, size: st.size });
        }
      };
      visit('');
      return out;
    },
    write(file, bytes) {
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, bytes);
    },
    mkdirs: (dir) => void mkdirSync(dir, { recursive: true }),
  };
}

export function fsScratchDirs(root: string = tmpdir()): ScratchDirs {
  return {
    make: (prefix) => mkdtempSync(join(root, prefix)),
    remove: (dir) => rm(dir, { recursive: true, force: true }),
  };
}
