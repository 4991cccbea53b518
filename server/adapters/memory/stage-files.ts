// StageFiles and ScratchDirs in memory: stage "files" given as source text and the value their
// module default-exports, for tests that need no folder on disk.
import type { ScratchDirs, StageFiles } from '../../ports/stage-files.ts';

export interface MemoryStageFiles extends StageFiles, ScratchDirs {
  /** Adds (or replaces) a file. */
  put(path: string, source: string, value: unknown): void;
}

export function memoryStageFiles(): MemoryStageFiles {
  const files = new Map<string, { bytes: Uint8Array; value: unknown }>();
  const dirs = new Set<string>(['/']);
  let made = 0;
  const parent = (p: string) => p.slice(0, p.lastIndexOf('/')) || '/';
  const addDirs = (p: string) => {
    for (let d = parent(p); !dirs.has(d); d = parent(d)) dirs.add(d);
  };
  const fileOf = (file: string) => {
    const f = files.get(file);
    if (!f) throw new Error(`no such file: ${file}`);
    return f;
  };
  return {
    put(path, source, value) {
      addDirs(path);
      files.set(path, { bytes: new TextEncoder().encode(source), value });
    },
    exists: (path) => files.has(path) || dirs.has(path),
    files(dir) {
      if (!dirs.has(dir)) throw new Error(`no such folder: ${dir}`);
      return [...files.keys()].filter((p) => parent(p) === dir).map((p) => p.slice(dir.length + 1)).sort();
    },
    read: (file) => fileOf(file).bytes,
    load: async (file) => fileOf(file).value,
    make(prefix) {
      const dir = `/scratch/${prefix}${++made}`;
      addDirs(`${dir}/x`);
      dirs.add(dir);
      return dir;
    },
    async remove(dir) {
      for (const d of [...dirs]) if (d === dir || d.startsWith(`${dir}/`)) dirs.delete(d);
      for (const f of [...files.keys()]) if (f.startsWith(`${dir}/`)) files.delete(f);
    },
  };
}
