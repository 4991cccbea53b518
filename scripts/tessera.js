#!/usr/bin/env node
// The `tessera` command. Every command runs from an esbuild bundle under plain Node (cli-bundle.js,
// rebuilt when a source changes); when none can be built, or TESSERA_NO_BUNDLE is set, its
// TypeScript runs through tsx.
import { bundledMain } from './cli-bundle.js';

const argv = process.argv.slice(2);
const bundled = await bundledMain(argv[0]);
if (bundled) process.exitCode = await bundled(argv.slice(1));
else {
  const { register } = await import('tsx/esm/api');
  register();
  const { main } = await import('./cli.ts');
  process.exitCode = await main(argv);
}
