// The shape of a CLI command and a small strict argument parser shared by all commands.
import { parseArgs, type ParseArgsConfig } from 'node:util';

export interface Command {
  /** One or more lines printed for `--help`; the first is the usage line. */
  usage: string;
  /** Returns the exit code (0 when omitted). Throw an Error for a one-line failure reason. */
  run(argv: string[]): Promise<number | void>;
}

export class UsageError extends Error {}

/** Parses flags strictly: an unknown flag or a missing value is a UsageError naming it. */
export function parseFlags<T extends NonNullable<ParseArgsConfig['options']>>(
  argv: string[],
  options: T,
  usage: string,
) {
  try {
    return parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (e) {
    throw new UsageError(`${(e as Error).message}\n${usage}`);
  }
}

/** Runs one command as `tessera <name> …` does: `--help`, then the command, a thrown error as one line `tessera <name>: reason`. */
export async function runCommand(name: string, command: Command, rest: string[]): Promise<number> {
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
