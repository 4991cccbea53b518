// The files a job process reads and writes around its stages: stage source files (listed at start,
// hashed for every job's record, imported), each job's scratch folder (ctx.tempDir), and the files
// built-in stages read and write there (`command`'s exported input and its program's output,
// `import`'s local folders). Synchronous where their callers are (start-up, the ctx.tempDir
// property, stage work between awaits). Adapters: server/adapters/fs/ (the real folders) and
// server/adapters/memory/stage-files.ts (stages as values, for tests).
export interface StageFiles {
  /** Whether something exists at `path`. */
  exists(path: string): boolean;
  /** Names of the regular files directly in `dir`, sorted; throws (naming why) when it cannot be read. */
  files(dir: string): string[];
  /** A file's bytes (the stage's source, for its SHA-256). */
  read(file: string): Uint8Array;
  /** The module's default export. */
  load(file: string): Promise<unknown>;
  /** The path with every symbolic link resolved; throws (naming it) when nothing is there. */
  realpath(path: string): string;
  /** What is at `path` (links followed): a folder or a file and its size; null when nothing is. */
  stat(path: string): { dir: boolean; size: number } | null;
  /**
   * The regular files under `dir` at any depth, depth first in name order, as '/'-separated paths relative to it with
   * their sizes. Symbolic links are neither followed nor listed (they could lead out of `dir`);
   * names starting with '.' (and what is under them) are skipped unless `hidden`. Stops after
   * `maxFiles + 1` files, so a caller can refuse a tree that holds too many without listing it all.
   */
  walk(dir: string, opts?: { hidden?: boolean; maxFiles?: number }): WalkedFile[];
  /** Writes a file, making the folders above it. */
  write(file: string, bytes: Uint8Array | string): void;
  /** Makes a folder and those above it; one that exists is no error. */
  mkdirs(dir: string): void;
}

export interface WalkedFile {
  path: string;
  size: number;
}

export interface ScratchDirs {
  /** A new, empty folder of its own whose name starts with `prefix`. */
  make(prefix: string): string;
  /** Removes a folder made here and everything in it; a folder already gone is no error. */
  remove(dir: string): Promise<void>;
}
