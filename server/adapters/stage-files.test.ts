// Both StageFiles / ScratchDirs adapters pass the same contracts.
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { join } from 'node:path';
import { scratchDirsContract, stageFilesContract } from '../ports/stage-files.contract.ts';
import { tempDir } from '../testing/fixtures.ts';
import { fsScratchDirs, fsStageFiles } from './fs/stage-files.ts';
import { memoryStageFiles } from './memory/stage-files.ts';

stageFilesContract('filesystem', async (files) => {
  const t = tempDir();
  const dir = join(t.dir, 'stages');
  mkdirSync(dir);
  for (const [name, [source]] of Object.entries(files)) writeFileSync(join(dir, name), source);
  mkdirSync(join(dir, 'sub.mjs'));
  return { files: fsStageFiles(), dir, close: t.cleanup };
});

stageFilesContract('memory', async (files) => {
  const m = memoryStageFiles();
  // A file in a sub-folder: the folder exists even when empty, and the sub-folder is no file of it.
  m.put('/p/stages/sub.mjs/x.mjs', '', null);
  for (const [name, [source, value]] of Object.entries(files)) m.put(`/p/stages/${name}`, source, value);
  return { files: m, dir: '/p/stages', close: () => {} };
});

scratchDirsContract('filesystem', () => {
  const t = tempDir();
  return { scratch: fsScratchDirs(t.dir), files: fsStageFiles(), close: t.cleanup };
});

scratchDirsContract('memory', () => {
  const m = memoryStageFiles();
  return { scratch: m, files: m, close: () => {} };
});

it('walks a real folder without following or listing symbolic links (to a file or a folder outside it)', () => {
  const t = tempDir();
  try {
    mkdirSync(join(t.dir, 'outside'));
    writeFileSync(join(t.dir, 'outside', 'secret'), 'x');
    mkdirSync(join(t.dir, 'tree'));
    writeFileSync(join(t.dir, 'tree', 'kept.txt'), 'kept');
    symlinkSync(join(t.dir, 'outside'), join(t.dir, 'tree', 'dir-link'));
    symlinkSync(join(t.dir, 'outside', 'secret'), join(t.dir, 'tree', 'file-link'));
    symlinkSync(join(t.dir, 'tree'), join(t.dir, 'tree', 'loop'));
    expect(fsStageFiles().walk(join(t.dir, 'tree'))).toEqual([{ path: 'kept.txt', size: 4 }]);
  } finally {
    t.cleanup();
  }
});
