// The files a job process reads and writes around its stages: stage source files (listed at start,
// hashed for every job's record, imported) and each job's scratch folder (ctx.tempDir). Synchronous
// where their callers are (start-up, the ctx.tempDir property). Adapters: server/adapters/fs/
// (the real folders) and server/adapters/memory/stage-files.ts (stages as values, for tests).
export interface StageFiles {
  /** Whether something exists at `path`. */
  exists(path: string): boolean;
  /** Names of the regular files directly in `dir`, sorted; throws (naming why) when it cannot be read. */
  files(dir: string): string[];
  /** A file's bytes (the stage's source, for its SHA-256). */
  read(file: string): Uint8Array;
  /** The module's default export. */
  load(file: string): Promise<unknown>;
}

export interface ScratchDirs {
  /** A new, empty folder of its own whose name starts with `prefix`. */
  make(prefix: string): string;
  /** Removes a folder made here and everything in it; a folder already gone is no error. */
  remove(dir: string): Promise<void>;
}
