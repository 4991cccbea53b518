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
