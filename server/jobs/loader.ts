// Loads user stages from folders (the project's stages/, `--stages DIR`): every .ts/.js/.mjs file
// that is not a test default-exports one stage (made with defineStage, or a plain definition).
// A file that fails to load is reported by name and skipped; the others still load.
import { join, resolve } from 'node:path';
import { defineStage, isStage, type Stage } from '../../shared/stage.ts';
import type { StageFiles } from '../ports/stage-files.ts';
import type { StageRegistry } from './registry.ts';

export interface StageLoadProblem {
  file: string;
  message: string;
}

const STAGE_FILE = /^(?!.*\.(test|spec)\.)[^.].*\.(ts|mts|js|mjs)$/;

export async function loadStageDir(files: StageFiles, dir: string, registry: StageRegistry): Promise<{ loaded: string[]; problems: StageLoadProblem[] }> {
  const loaded: string[] = [];
  const problems: StageLoadProblem[] = [];
  const root = resolve(dir);
  let names: string[];
  try {
    names = files.files(root).filter((n) => STAGE_FILE.test(n) && !n.endsWith('.d.ts'));
  } catch (e) {
    return { loaded, problems: [{ file: root, message: `cannot read the stage folder: ${(e as Error).message}` }] };
  }
  for (const name of names) {
    const file = join(root, name);
    try {
      const stage = toStage(await files.load(file));
      registry.add(stage, file);
      loaded.push(stage.name);
    } catch (e) {
      problems.push({ file, message: (e as Error).message ?? String(e) });
    }
  }
  return { loaded, problems };
}

function toStage(v: unknown): Stage {
  if (isStage(v)) return v;
  if (v && typeof v === 'object' && 'work' in v && 'name' in v) return defineStage(v as Parameters<typeof defineStage>[0]);
  throw new Error('the file must default-export one stage (export default defineStage({...}))');
}
