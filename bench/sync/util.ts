// Shared bits of the sync bench: sizes of the runs, rounding, percentiles, a forced GC.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

export const RSS_DOCS = 1000;
export const LOAD_DOCS = 20;
/** The durable-write run: this many documents, one writer and one reader each, this many updates per writer. */
export const DURABLE_DOCS = 20;
export const DURABLE_PER_DOC = 1000;
export const PER_DOC = 5;
export const RATE = 1000;
export const SECONDS = 5;

setFlagsFromString('--expose-gc');
export const gc = runInNewContext('gc') as () => void;
export const mb = (n: number) => Math.round(n / 1e5) / 10;
export const ms = (n: number) => Math.round(n * 1000) / 1000;
export const pct = (samples: number[], p: number) => {
  const s = samples.slice().sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
};

/** The server child's answer to `stats`. */
export type Stats = { rss: number; heap: number; durable: number; groups: number; docs: number; hibernating: number; connections: number };
/** Asks the server child to run a command and resolves with its answer. */
export type Ask = <T>(cmd: string, arg?: string) => Promise<T>;
