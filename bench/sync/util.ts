// Shared bits of the sync bench: sizes of the runs, rounding, percentiles, a forced GC.
import { readFileSync } from 'node:fs';
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
/** This process's memory: resident, V8 heap used and reserved, and memory outside the heap (Buffers, native). */
export const memory = () => {
  const m = process.memoryUsage();
  return { rss: m.rss, heap: m.heapUsed, heapTotal: m.heapTotal, external: m.external, ...rssParts() };
};

/**
 * Where the resident pages are, from /proc/self/smaps (Linux; zeros elsewhere): mapped files (the
 * node binary, native addons), glibc's main malloc arena (`[heap]`, grown by brk: Buffers' backing
 * stores, SQLite's page cache and the other smaller native allocations), and the other
 * anonymous mappings (V8's heap spaces, thread stacks, mmap'd allocations).
 */
function rssParts(): { rssFile: number; rssBrk: number; rssAnon: number } {
  let smaps: string;
  try {
    smaps = readFileSync('/proc/self/smaps', 'utf8');
  } catch {
    return { rssFile: 0, rssBrk: 0, rssAnon: 0 };
  }
  const kb = { file: 0, brk: 0, anon: 0 };
  let kind: keyof typeof kb = 'anon';
  for (const line of smaps.split('\n')) {
    const mapping = /^[0-9a-f]+-[0-9a-f]+ \S+ \S+ \S+ \S+\s*(.*)$/.exec(line);
    if (mapping) kind = mapping[1].startsWith('/') ? 'file' : mapping[1] === '[heap]' ? 'brk' : 'anon';
    else if (line.startsWith('Rss:')) kb[kind] += Number(line.split(/\s+/)[1]);
  }
  return { rssFile: kb.file * 1024, rssBrk: kb.brk * 1024, rssAnon: kb.anon * 1024 };
}

/** The split of `rssParts`, for a bench line. */
export const rssSplit = (s: Stats) => `file-backed ${mb(s.rssFile)}, malloc arena ${mb(s.rssBrk)}, other anonymous ${mb(s.rssAnon)} MB`;
/** The same split as JSON keys: `${prefix}_file_mb`, `_brk_mb`, `_anon_mb`. */
export const rssSplitKeys = (prefix: string, s: Stats) => ({ [`${prefix}_file_mb`]: mb(s.rssFile), [`${prefix}_brk_mb`]: mb(s.rssBrk), [`${prefix}_anon_mb`]: mb(s.rssAnon) });
export const mb = (n: number) => Math.round(n / 1e5) / 10;
export const ms = (n: number) => Math.round(n * 1000) / 1000;
export const pct = (samples: number[], p: number) => {
  const s = samples.slice().sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
};

/** The server child's answer to `stats`. */
export type Stats = { rss: number; heap: number; heapTotal: number; external: number; rssFile: number; rssBrk: number; rssAnon: number; durable: number; groups: number; docs: number; hibernating: number; connections: number };
/** Asks the server child to run a command and resolves with its answer. */
export type Ask = <T>(cmd: string, arg?: string) => Promise<T>;

/**
 * A child's stats once its RSS stopped falling (V8 hands freed heap pages back to the system a few
 * seconds after a large release, not at the forced GC): sampled every 500 ms until two samples are
 * within 1%, at most `maxMs`.
 */
export async function settledStats(ask: Ask, maxMs = 10_000): Promise<Stats & { settleMs: number }> {
  const t0 = performance.now();
  let last = await ask<Stats>('stats');
  for (;;) {
    await new Promise((r) => setTimeout(r, 500));
    const now = await ask<Stats>('stats');
    const settleMs = Math.round(performance.now() - t0);
    if (now.rss > last.rss * 0.99 || settleMs >= maxMs) return { ...now, settleMs };
    last = now;
  }
}

/**
 * A child's lowest RSS over its first `ms` of idling, sampled every second: V8's memory reducer
 * shrinks the young generation (grown while the modules loaded) some seconds after start-up, not
 * at a forced GC, so the RSS right after start is partly a start-up transient, larger the more
 * code a server loads. Every server is measured the same way.
 */
export async function idleStats(ask: Ask, ms = 30_000): Promise<Stats & { atMs: number }> {
  const t0 = performance.now();
  let low = { ...(await ask<Stats>('stats')), atMs: 0 };
  while (performance.now() - t0 < ms) {
    await new Promise((r) => setTimeout(r, 1000));
    const s = await ask<Stats>('stats');
    if (s.rss < low.rss) low = { ...s, atMs: Math.round(performance.now() - t0) };
  }
  return low;
}
