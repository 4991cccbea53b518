// StageFiles and ScratchDirs on the real filesystem: stage folders, source bytes, module imports,
// and job scratch folders under a root (the OS temp folder unless given). A TypeScript stage is
// imported as is under tsx or vitest; under plain Node (the bundled `tessera serve`), tsx is
// registered first, once (Node keeps a failed import's error, so it is decided before the first).
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, statSync, writeFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ScratchDirs, StageFiles, WalkedFile } from '../../ports/stage-files.ts';

const TYPESCRIPT = /\.[cm]?tsx?$/;
let tsLoader: Promise<void> | null = null;

/** Registers tsx unless a loader that compiles TypeScript is already active. */
async function ensureTsLoader(): Promise<void> {
  try {
    await import(new URL('./ts-probe.ts', import.meta.url).href);
  } catch {
    const { register } = await import('tsx/esm/api');
    register();
  }
}

export function fsStageFiles(): StageFiles {
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
      if (TYPESCRIPT.test(file)) await (tsLoader ??= ensureTsLoader());
      return ((await import(pathToFileURL(resolve(file)).href)) as { default?: unknown }).default;
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
