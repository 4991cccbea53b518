// Types of source-urls.js (plain JavaScript: scripts/cli-bundle.js imports it before anything can transform TypeScript).
import type { OnLoadResult } from 'esbuild';

/** `path`'s onLoad result: as it is without `import.meta.`, else compiled with url/filename/dirname its own; `tsconfig` is asked only then. */
export declare function withSourceUrls(path: string, text: string, tsconfig: () => string | undefined | Promise<string | undefined>): Promise<OnLoadResult>;
