// Dispatches `tessera <command> …` to the command modules under scripts/commands/.
// Each command module exports `command: Command`; add new ones to COMMANDS below.
import { runCommand, type Command } from './command.ts';

const COMMANDS: Record<string, { about: string; load: () => Promise<{ command: Command }> }> = {
  serve: { about: 'run Tessera (API, live sync, web app) on one port', load: () => import('./commands/serve.ts') },
  convert: { about: 'convert annotations between COCO, YOLO, Pascal VOC (and from Label Studio), offline', load: () => import('./commands/convert.ts') },
  worker: { about: 'run pipeline jobs from the data directory beside the server, as another process', load: () => import('./commands/worker.ts') },
  gc: { about: 'delete stored blobs that nothing refers to any more (older than a grace period)', load: () => import('./commands/gc.ts') },
  import: { about: 'import a dataset (annotations and their images) into a project on a server', load: () => import('./commands/import.ts') },
  run: { about: 'start a pipeline run on a server from a YAML or JSON file; --watch follows it', load: () => import('./commands/run.ts') },
  release: { about: 'cut a release of a project from its approved revisions', load: () => import('./commands/release.ts') },
  runs: { about: "record a model run against a release (add), or list a project's runs (list)", load: () => import('./commands/runs.ts') },
  pull: { about: 'download a release (verified, resumable) as COCO, YOLO or Pascal VOC', load: () => import('./commands/pull.ts') },
};

const USAGE = `usage: tessera <command> [options]

commands:
${Object.entries(COMMANDS)
  .map(([name, c]) => `  ${name.padEnd(9)} ${c.about}`)
  .join('\n')}

Run \`tessera <command> --help\` for a command's options.`;

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name) {
    console.error(`tessera: name a command\n${USAGE}`);
    return 1;
  }
  if (name === '--help' || name === '-h' || name === 'help') {
    console.log(USAGE);
    return 0;
  }
  const entry = COMMANDS[name];
  if (!entry) {
    console.error(`tessera: unknown command "${name}"\n${USAGE}`);
    return 2;
  }
  const { command } = await entry.load();
  return runCommand(name, command, rest);
}
