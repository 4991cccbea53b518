// Both StageFiles / ScratchDirs adapters pass the same contracts.
import { mkdirSync, writeFileSync } from 'node:fs';
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
