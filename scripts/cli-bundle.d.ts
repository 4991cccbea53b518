// Types of scripts/cli-bundle.js (plain JavaScript: it runs before anything can transform TypeScript).
import type { BuildOptions, Plugin } from 'esbuild';

export declare const BUNDLED: readonly string[];
export declare const sourceUrls: Plugin;
export interface BundleSpec {
  /** Where the bundle goes (an .mjs). */
  file: string;
  /** The entry module (absolute path), or `stdin`. */
  entry?: string;
  stdin?: { contents: string; resolveDir: string; sourcefile: string };
  /** Bundle node_modules too (the HTTP-only commands); by default Node loads them. */
  packages?: boolean;
}
export declare function bundle(spec: BundleSpec): Promise<string>;
/** The esbuild options every bundle is built with. */
export declare function buildOptions(spec: Pick<BundleSpec, 'entry' | 'stdin' | 'packages'>): BuildOptions & { write: false; metafile: true };
export declare function bundledMain(name: string | undefined): Promise<((rest: string[]) => Promise<number>) | null>;
