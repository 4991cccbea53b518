// The stages that ship with Tessera, registered in every process (server and workers) before
// the user stages of the project's stages/ folder and `--stages DIR`.
import { fileURLToPath } from 'node:url';
import type { Stage } from '../../shared/stage.ts';
import type { StageFiles } from '../ports/stage-files.ts';
import type { StageRegistry } from './registry.ts';
import { commandStage } from './stages/command.ts';
import distribute from './stages/distribute.ts';
import exportStage from './stages/export.ts';
import { importStage } from './stages/import.ts';
import report from './stages/report.ts';
import validate from './stages/validate.ts';

const here = (file: string) => new URL(`./stages/${file}`, import.meta.url).href;

/** Each built-in stage with the URL of its module (for the source hash); `files` is what they read and write. */
export const builtinStages = (files: StageFiles): Array<{ stage: Stage; url: string }> => [
  { stage: importStage(files), url: here('import.ts') },
  { stage: distribute, url: here('distribute.ts') },
  { stage: validate, url: here('validate.ts') },
  { stage: report, url: here('report.ts') },
  { stage: exportStage, url: here('export.ts') },
  { stage: commandStage(files), url: here('command.ts') },
];

export function registerBuiltins(registry: StageRegistry, files: StageFiles): void {
  for (const b of builtinStages(files)) registry.add(b.stage, fileURLToPath(b.url), 'builtin');
}
