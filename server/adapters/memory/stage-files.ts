// StageFiles and ScratchDirs in memory: stage "files" given as source text and the value their
// module default-exports, for tests that need no folder on disk.
import type { ScratchDirs, StageFiles, WalkedFile } from '../../ports/stage-files.ts';

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
    realpath(path) {
      if (!files.has(path) && !dirs.has(path)) throw new Error(`no such file or folder: ${path}`);
      return path; // no links here
    },
    stat: (path) => (dirs.has(path) ? { dir: true, size: 0 } : files.has(path) ? { dir: false, size: files.get(path)!.bytes.byteLength } : null),
    walk(dir, { hidden = false, maxFiles = Infinity } = {}) {
      if (!dirs.has(dir)) throw new Error(`no such folder: ${dir}`);
      const out: WalkedFile[] = [];
      const visit = (d: string, rel: string) => {
        const names = new Set<string>();
        for (const p of [...files.keys(), ...dirs]) if (p !== d && parent(p) === d) names.add(p.slice(d.length === 1 ? 1 : d.length + 1));
        for (const name of [...names].sort()) {
          if (out.length > maxFiles) return;
          if (!hidden && name.startsWith('.')) continue;
          const path = rel ? `${rel}/${name}` : name;
          const full = d === '/' ? `/${name}` : `${d}/${name}`;
          if (dirs.has(full)) visit(full, path);
          else out.push({ path, size: files.get(full)!.bytes.byteLength });
        }
      };
      visit(dir, '');
      return out;
    },
    write(file, bytes) {
      addDirs(file);
      files.set(file, { bytes: typeof bytes === 'string' ? new TextEncoder().encode(bytes) : new Uint8Array(bytes), value: undefined });
    },
    mkdirs(dir) {
      addDirs(`${dir}/x`);
    },
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
