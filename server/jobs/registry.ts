// The stages a process can run: each with where it came from and the SHA-256 of its source file,
// which every job it runs records.
import { createHash } from 'node:crypto';
import type { Stage } from '../../shared/stage.ts';
import type { StageFiles } from '../ports/stage-files.ts';

export interface RegisteredStage {
  stage: Stage;
  /** SHA-256 of the stage's source file. */
  sourceSha: string;
  /** `builtin` or the file it was loaded from. */
  origin: string;
}

export interface StageRegistry {
  get(name: string): RegisteredStage | undefined;
  list(): RegisteredStage[];
  /** Adds a stage; a second stage of the same name is refused with a message naming both. */
  add(stage: Stage, sourceFile: string, origin?: string): RegisteredStage;
}

/** `files` reads each stage's source file for its SHA-256. */
export function stageRegistry(files: Pick<StageFiles, 'read'>): StageRegistry {
  const sha256 = (file: string): string => createHash('sha256').update(files.read(file)).digest('hex');
  const byName = new Map<string, RegisteredStage>();
  return {
    get: (name) => byName.get(name),
    list: () => [...byName.values()].sort((a, b) => a.stage.name.localeCompare(b.stage.name)),
    add(stage, sourceFile, origin = sourceFile) {
      const existing = byName.get(stage.name);
      if (existing) throw new Error(`stage "${stage.name}" from ${origin} clashes with the one from ${existing.origin}`);
      const entry = { stage, sourceSha: sha256(sourceFile), origin };
      byName.set(stage.name, entry);
      return entry;
    },
  };
}
