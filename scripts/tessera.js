#!/usr/bin/env node
// The `tessera` command: registers tsx so that the TypeScript sources run directly on Node 20.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('./cli.ts');
process.exitCode = await main(process.argv.slice(2));
