// The stages that ship with Tessera, registered in every process (server and workers) before
// the user stages of the project's stages/ folder and `--stages DIR`.
import { fileURLToPath } from 'node:url';
import type { Stage } from '../../shared/stage.ts';
import type { StageFiles } from '../ports/stage-files.ts';
import type { StageRegistry } from './registry.ts';
import { commandStage } from './stages/command.ts';
import distribute from './stages/distribute.ts';
import exportStage from './stages/export.ts';
import { importStage, type ImportStageOptions } from './stages/import.ts';
import report from './stages/report.ts';
import validate from './stages/validate.ts';

const here = (file: string) => new URL(`./stages/${file}`, import.meta.url).href;

/** What the built-in stages need from the process: the files they read and write, folders `import` keeps out of. */
export interface BuiltinOptions {
  files: StageFiles;
  import?: ImportStageOptions;
}

/** Each built-in stage with the URL of its module (for the source hash). */
export const builtinStages = ({ files, import: importOpts }: BuiltinOptions): Array<{ stage: Stage; url: string }> => [
  { stage: importStage(files, importOpts), url: here('import.ts') },
  { stage: distribute, url: here('distribute.ts') },
  { stage: validate, url: here('validate.ts') },
  { stage: report, url: here('report.ts') },
  { stage: exportStage, url: here('export.ts') },
  { stage: commandStage(files), url: here('command.ts') },
];

export function registerBuiltins(registry: StageRegistry, opts: BuiltinOptions): void {
  for (const b of builtinStages(opts)) registry.add(b.stage, fileURLToPath(b.url), 'builtin');
}
