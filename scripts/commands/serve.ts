// `tessera serve`: runs the server (API, sync, client) on one port; `--demo` seeds the demo project.
import { existsSync } from 'node:fs';
import { startServer } from '../../server/main.ts';
import { ensureClientBuilt } from '../client-build.ts';
import { parseFlags, type Command } from '../command.ts';

const usage = `usage: tessera serve [--port 8080] [--host 127.0.0.1] [--data ./data] [--demo] [--no-client] [--stages DIR]...

Runs Tessera: REST API under /api, live sync on /api/sync/<doc>, and the web app, on one port.
  --port N      port to listen on (0 picks a free one; default 8080, or TESSERA_PORT)
  --host ADDR   address to bind (default 127.0.0.1, or TESSERA_HOST)
  --data DIR    where the SQLite file and blobs live (default ./data, or TESSERA_DATA)
  --demo        seed the demo project and accounts (once) and print them
  --no-client   do not build or serve the web app
  --stages DIR  also load the pipeline stages in DIR (repeatable; ./stages is loaded when present)`;

export const command: Command = {
  usage,
  async run(argv) {
    const { values } = parseFlags(argv, {
      port: { type: 'string' },
      host: { type: 'string' },
      data: { type: 'string' },
      demo: { type: 'boolean', default: false },
      'no-client': { type: 'boolean', default: false },
      stages: { type: 'string', multiple: true },
    }, usage);
    const port = values.port === undefined ? undefined : Number(values.port);
    if (port !== undefined && (!Number.isInteger(port) || port < 0 || port > 65535)) throw new Error(`--port must be a number from 0 to 65535, not "${values.port}"`);
    const clientDir = values['no-client'] ? null : await ensureClientBuilt();
    const t0 = performance.now();
    // Flags win over TESSERA_* environment variables, which win over the defaults.
    const flags = { port, host: values.host, dataDir: values.data };
    const given = Object.fromEntries(Object.entries(flags).filter(([, v]) => v !== undefined));
    const server = await startServer({ ...given, demo: values.demo, clientDir, stageDirs: values.stages ?? [] });
    console.log(`Tessera is listening on ${server.url} (data in ${server.config.dataDir}, started in ${Math.round(performance.now() - t0)} ms)`);
    if (server.demo) {
      console.log(`\nDemo project "demo"${server.demo.created ? ' created' : ''}. Accounts (password "tessera"):`);
      for (const a of server.demo.accounts) console.log(`  ${a.username.padEnd(12)} ${a.role}`);
      console.log('WARNING: these demo accounts and their password are for trying Tessera only. Do not expose this server.\n');
    }
    if (clientDir && !existsSync(clientDir)) console.log('(the web app is not built; only the API is served)');
    await new Promise<void>((resolve) => {
      const stop = (sig: string) => {
        console.log(`\n${sig}: shutting down…`);
        server.close().then(resolve, (e) => {
          console.error(e);
          resolve();
        });
      };
      process.once('SIGINT', () => stop('SIGINT'));
      process.once('SIGTERM', () => stop('SIGTERM'));
    });
  },
};
