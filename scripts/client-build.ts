// Builds the web app with Vite when client/dist is missing or older than the client sources or the
// installed packages (an `npm install` that adds a package the client imports must rebuild it).
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const CLIENT = resolve(dirname(fileURLToPath(import.meta.url)), '../client');
export const CLIENT_DIST = join(CLIENT, 'dist');

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'dist' || entry.name === 'node_modules' || entry.name.endsWith('.test.ts') || entry.name.endsWith('.test.tsx')) continue;
    const p = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs);
  }
  return newest;
}

const mtimeOf = (file: string) => (existsSync(file) ? statSync(file).mtimeMs : 0);

/**
 * Whether dist/index.html is missing or older than any source of the client or of shared/ (bundled
 * too), or than the lock files of the installed packages (npm rewrites node_modules/.package-lock.json
 * on every install that changes the tree).
 */
export function clientIsStale(client = CLIENT, shared = join(client, '../shared'), root = join(client, '..')): boolean {
  const index = join(client, 'dist', 'index.html');
  if (!existsSync(index)) return true;
  const built = statSync(index).mtimeMs;
  const installed = Math.max(mtimeOf(join(root, 'package-lock.json')), mtimeOf(join(root, 'node_modules', '.package-lock.json')));
  return newestMtime(client) > built || newestMtime(shared) > built || installed > built;
}

/** Builds in a child process, so that the server never carries the bundler's memory. */
export async function ensureClientBuilt(): Promise<string> {
  if (clientIsStale()) {
    console.log('Building the web app (client/)…');
    const t0 = performance.now();
    const vite = join(dirname(createRequire(import.meta.url).resolve('vite/package.json')), 'bin/vite.js');
    const r = spawnSync(process.execPath, [vite, 'build', CLIENT, '--config', join(CLIENT, 'vite.config.ts'), '--logLevel', 'warn'], { stdio: 'inherit' });
    if (r.status !== 0) throw new Error(`building the web app failed (vite exited with ${r.status ?? r.signal})`);
    console.log(`Built the web app in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  }
  return CLIENT_DIST;
}
