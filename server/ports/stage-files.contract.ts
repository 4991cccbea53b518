// The contract every StageFiles adapter passes. `make` gets the files to hold ({name: [source,
// default export]}) in one folder and returns the adapter with that folder's path.
import { afterEach, describe, expect, it } from 'vitest';
import type { ScratchDirs, StageFiles } from './stage-files.ts';

export type StageFilesFixture = { files: StageFiles; dir: string; close(): void };

export function stageFilesContract(name: string, make: (files: Record<string, [source: string, value: unknown]>) => Promise<StageFilesFixture>) {
  describe(`StageFiles contract: ${name}`, () => {
    let f: StageFilesFixture | null = null;
    afterEach(() => f?.close());
    const join = (a: string, b: string) => `${a.replace(/\/$/, '')}/${b}`;

    it('lists the files of a folder, sorted, and says what exists', async () => {
      f = await make({ 'b.mjs': ['export default 2;\n', 2], 'a.mjs': ['export default 1;\n', 1] });
      expect(f.files.files(f.dir)).toEqual(['a.mjs', 'b.mjs']);
      expect(f.files.exists(f.dir)).toBe(true);
      expect(f.files.exists(join(f.dir, 'a.mjs'))).toBe(true);
      expect(f.files.exists(join(f.dir, 'nope'))).toBe(false);
    });

    it('reads a file’s bytes and loads its default export', async () => {
      f = await make({ 'one.mjs': ['export default { name: "one" };\n', { name: 'one' }] });
      expect(new TextDecoder().decode(f.files.read(join(f.dir, 'one.mjs')))).toBe('export default { name: "one" };\n');
      expect(await f.files.load(join(f.dir, 'one.mjs'))).toEqual({ name: 'one' });
    });

    it('writes files (making their folders) and walks a tree: depth first in name order, hidden names skipped unless asked, capped', async () => {
      f = await make({});
      const out = join(f.dir, 'out');
      f.files.write(join(out, 'b/two.txt'), 'hi');
      f.files.write(join(out, 'a.bin'), new Uint8Array([1, 2, 3]));
      f.files.write(join(out, '.cache/x'), 'hidden');
      f.files.write(join(out, 'b/.env'), 'hidden');
      f.files.mkdirs(join(out, 'empty/deeper'));
      f.files.mkdirs(join(out, 'empty'));
      expect(f.files.walk(out)).toEqual([{ path: 'a.bin', size: 3 }, { path: 'b/two.txt', size: 2 }]);
      expect(f.files.walk(out, { hidden: true }).map((w) => w.path)).toEqual(['.cache/x', 'a.bin', 'b/.env', 'b/two.txt']);
      expect(f.files.walk(out, { maxFiles: 0 })).toHaveLength(1);
      expect(new TextDecoder().decode(f.files.read(join(out, 'b/two.txt')))).toBe('hi');
      f.files.write(join(out, 'b/two.txt'), 'replaced');
      expect(f.files.walk(out)[1]).toEqual({ path: 'b/two.txt', size: 8 });
      expect(f.files.stat(join(out, 'empty/deeper'))).toEqual({ dir: true, size: 0 });
      expect(f.files.stat(join(out, 'a.bin'))).toEqual({ dir: false, size: 3 });
      expect(f.files.stat(join(out, 'missing'))).toBeNull();
      expect(f.files.realpath(join(out, 'a.bin')).endsWith('/out/a.bin')).toBe(true);
      expect(() => f!.files.realpath(join(out, 'missing'))).toThrow(/missing/);
      expect(() => f!.files.walk(join(out, 'missing'))).toThrow(/missing/);
    });

    it('refuses a missing folder or file with an error naming it', async () => {
      f = await make({});
      const missing = join(f.dir, 'missing');
      expect(() => f!.files.files(missing)).toThrow(/missing/);
      expect(() => f!.files.read(join(missing, 'x.mjs'))).toThrow(/missing/);
      await expect(f.files.load(join(missing, 'x.mjs'))).rejects.toThrow(/missing/);
    });
  });
}

export function scratchDirsContract(name: string, make: () => { scratch: ScratchDirs; files: Pick<StageFiles, 'exists' | 'files'>; close(): void }) {
  describe(`ScratchDirs contract: ${name}`, () => {
    it('makes distinct empty folders and removes them (twice is no error)', async () => {
      const s = make();
      try {
        const a = s.scratch.make('tessera-job-a-');
        const b = s.scratch.make('tessera-job-a-');
        expect(a).not.toBe(b);
        expect(a.split('/').pop()).toMatch(/^tessera-job-a-/);
        expect(s.files.files(a)).toEqual([]);
        await s.scratch.remove(a);
        await s.scratch.remove(a);
        expect(s.files.exists(a)).toBe(false);
        expect(s.files.exists(b)).toBe(true);
      } finally {
        s.close();
      }
    });
  });
}
