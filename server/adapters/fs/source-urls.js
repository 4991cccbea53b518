// One source file compiled on its own with `import.meta.url`, `import.meta.filename` and
// `import.meta.dirname` defined as that file's own, so that once bundled, `new URL('./x',
// import.meta.url)` and friends resolve as they do unbundled (strings and comments keep their
// text; other `import.meta` fields keep the bundle's). Used by the command bundles
// (scripts/cli-bundle.js, plugin `sourceUrls`) and the user stage bundles (stage-bundle.ts).
// Plain JavaScript: cli-bundle.js imports it before anything can transform TypeScript.
import { dirname, extname } from 'node:path';
import { pathToFileURL } from 'node:url';

/** esbuild's loader for a source file by its extension. */
const LOADERS = /** @type {Record<string, import('esbuild').Loader>} */ ({ '.ts': 'ts', '.mts': 'ts', '.cts': 'ts', '.tsx': 'tsx', '.js': 'js', '.mjs': 'js', '.cjs': 'js', '.jsx': 'jsx' });

/**
 * What an esbuild `onLoad` returns for `path` (its text `text`): as it is when it does not use
 * `import.meta.`, else compiled with the three defined. A compile error throws esbuild's own.
 * @param {string} path
 * @param {string} text
 * @param {() => string | undefined | Promise<string | undefined>} tsconfig the tsconfig.json text the file compiles under (asked only when it is compiled)
 * @returns {Promise<import('esbuild').OnLoadResult>}
 */
export async function withSourceUrls(path, text, tsconfig) {
  const loader = LOADERS[extname(path)] ?? 'js';
  if (!text.includes('import.meta.')) return { contents: text, loader };
  const { transform } = await import('esbuild');
  const out = await transform(text, {
    loader,
    format: 'esm',
    sourcefile: path,
    tsconfigRaw: await tsconfig(),
    define: {
      'import.meta.url': JSON.stringify(pathToFileURL(path).href),
      'import.meta.filename': JSON.stringify(path),
      'import.meta.dirname': JSON.stringify(dirname(path)),
    },
  });
  return { contents: out.code, loader: 'js', resolveDir: dirname(path) };
}
