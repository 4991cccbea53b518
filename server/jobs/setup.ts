// Builds a process's stage registry: built-ins, then each user stage folder. Broken stage files
// are returned (and logged by the caller) instead of stopping the process.
import type { StageFiles } from '../ports/stage-files.ts';
import { registerBuiltins, type BuiltinOptions } from './builtins.ts';
import { loadStageDir, type StageLoadProblem } from './loader.ts';
import { stageRegistry, type StageRegistry } from './registry.ts';

export interface LoadedStages {
  registry: StageRegistry;
  problems: StageLoadProblem[];
  /** Folder → the stage names loaded from it. */
  loaded: Record<string, string[]>;
}

/** `dirs` that do not exist are skipped only when `optional` (the project's default stages/). */
export async function loadStages(
  files: StageFiles,
  dirs: Array<{ dir: string; optional?: boolean }>,
  builtins: Omit<BuiltinOptions, 'files'> = {},
): Promise<LoadedStages> {
  const registry = stageRegistry(files);
  registerBuiltins(registry, { files, ...builtins });
  const problems: StageLoadProblem[] = [];
  const loaded: Record<string, string[]> = {};
  for (const { dir, optional } of dirs) {
    if (optional && !files.exists(dir)) continue;
    const r = await loadStageDir(files, dir, registry);
    loaded[dir] = r.loaded;
    problems.push(...r.problems);
  }
  return { registry, problems, loaded };
}
