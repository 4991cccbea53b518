#!/usr/bin/env node
// The `tessera` command. Commands that only talk HTTP start from a prebuilt bundle (cli-bundle.js,
// rebuilt when a source changes); the others run their TypeScript through tsx on Node 20.
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
