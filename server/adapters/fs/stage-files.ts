// StageFiles and ScratchDirs on the real filesystem: stage folders, source bytes, module imports,
// and job scratch folders under a root (the OS temp folder unless given).
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ScratchDirs, StageFiles } from '../../ports/stage-files.ts';

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
      return ((await import(pathToFileURL(resolve(file)).href)) as { default?: unknown }).default;
    },
  };
}

export function fsScratchDirs(root: string = tmpdir()): ScratchDirs {
  return {
    make: (prefix) => mkdtempSync(join(root, prefix)),
    remove: (dir) => rm(dir, { recursive: true, force: true }),
  };
}
