// Writes a pulled release into OUTDIR all or nothing: the tree is built in a temp folder beside
// OUTDIR (same file system), images hard-linked from the cache (copied where links are refused),
// then renamed into place; on any failure the temp folder is removed and OUTDIR is untouched.
import { copyFile, link, mkdir, mkdtemp, readdir, rename, rm, rmdir, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';

export interface TreeFile {
  /** Relative path with `/`. */
  path: string;
  /** Text or bytes to write, or a cache file to link. */
  content: string | Uint8Array | { linkFrom: string };
}

/** Why OUTDIR cannot receive a pull, or null. */
export async function outDirProblem(outDir: string, force: boolean): Promise<string | null> {
  const s = await stat(outDir).catch(() => null);
  if (!s) return null;
  if (!s.isDirectory()) return `${outDir} exists and is not a folder`;
  if (force) return null;
  const entries = await readdir(outDir);
  return entries.length ? `${outDir} is not empty; remove it or pass --force to replace it` : null;
}

export async function writeTree(outDir: string, files: readonly TreeFile[], force: boolean): Promise<{ linked: number; copied: number }> {
  const parent = path.dirname(path.resolve(outDir));
  await mkdir(parent, { recursive: true });
  const tmp = await mkdtemp(path.join(parent, `.${path.basename(outDir)}.pull-`));
  let linked = 0;
  let copied = 0;
  try {
    const dirs = new Set(files.map((f) => path.dirname(path.join(tmp, f.path))));
    for (const d of dirs) await mkdir(d, { recursive: true });
    for (const f of files) {
      const dest = path.join(tmp, f.path);
      if (typeof f.content === 'string' || f.content instanceof Uint8Array) await writeFile(dest, f.content);
      else {
        try {
          await link(f.content.linkFrom, dest);
          linked++;
        } catch {
          await copyFile(f.content.linkFrom, dest);
          copied++;
        }
      }
    }
    const problem = await outDirProblem(outDir, force);
    if (problem) throw new Error(problem);
    if (await stat(outDir).catch(() => null)) {
      if (force) await rm(outDir, { recursive: true, force: true });
      else await rmdir(outDir);
    }
    await rename(tmp, outDir);
    return { linked, copied };
  } catch (e) {
    await rm(tmp, { recursive: true, force: true });
    const err = e as NodeJS.ErrnoException;
    if (err.code === 'ENOSPC') throw new Error(`writing ${outDir}: no space left on the disk (nothing was written)`);
    throw e;
  }
}
