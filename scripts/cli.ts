// Dispatches `tessera <command> …` to the command modules under scripts/commands/.
// Each command module exports `command: Command`; add new ones to COMMANDS below.
import type { Command } from './command.ts';

const COMMANDS: Record<string, () => Promise<{ command: Command }>> = {
  serve: () => import('./commands/serve.ts'),
  import: () => import('./commands/import.ts'),
  convert: () => import('./commands/convert.ts'),
};

const USAGE = `usage: tessera <command> [options]

commands:
${Object.keys(COMMANDS)
  .map((c) => `  ${c}`)
  .join('\n')}

Run \`tessera <command> --help\` for a command's options.`;

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    console.log(USAGE);
    return name ? 0 : 1;
  }
  const load = COMMANDS[name];
  if (!load) {
    console.error(`tessera: unknown command "${name}"\n${USAGE}`);
    return 2;
  }
  const { command } = await load();
  if (rest.includes('--help') || rest.includes('-h')) {
    console.log(command.usage);
    return 0;
  }
  try {
    return (await command.run(rest)) ?? 0;
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    console.error(`tessera ${name}: ${message}`);
    if (process.env.TESSERA_DEBUG && e instanceof Error) console.error(e.stack);
    return 1;
  }
}
