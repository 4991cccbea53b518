// Opt-in tracing inside the bench's server child (BENCH_TRACE=1): the event loop's delay
// histogram, GC pauses, and how long the update store's calls take (group commits with their
// sizes, compactions, reads), so that a latency tail can be laid at the door of one phase.
// `traceReport()` returns what was seen since the last report and starts over.
import { PerformanceObserver, monitorEventLoopDelay } from 'node:perf_hooks';
import type { UpdateStore } from '../../server/ports/update-store.ts';

type Timed = { n: number; total: number; max: number; over10: number; samples: number[] };
const timed = (): Timed => ({ n: 0, total: 0, max: 0, over10: 0, samples: [] });
const note = (t: Timed, ms: number) => {
  t.n++;
  t.total += ms;
  t.max = Math.max(t.max, ms);
  if (ms > 10) t.over10++;
  t.samples.push(ms);
};
const r3 = (n: number) => Math.round(n * 1000) / 1000;
const summary = (t: Timed) => {
  const s = t.samples.slice().sort((a, b) => a - b);
  const p = (q: number) => r3(s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? 0);
  return { n: t.n, total_ms: r3(t.total), p50: p(0.5), p99: p(0.99), max: r3(t.max), over10ms: t.over10 };
};

export function startTrace() {
  const loop = monitorEventLoopDelay({ resolution: 1 });
  loop.enable();
  let gc = timed();
  const obs = new PerformanceObserver((list) => list.getEntries().forEach((e) => note(gc, e.duration)));
  obs.observe({ entryTypes: ['gc'] });
  let calls: Record<string, Timed> = {};
  let groupSizes: number[] = [];
  /** The same store, each call timed (its synchronous part: better-sqlite3 runs inside the call). */
  const wrap = (store: UpdateStore): UpdateStore =>
    Object.fromEntries(
      Object.entries(store).map(([k, fn]) => [
        k,
        (...args: unknown[]) => {
          const t0 = performance.now();
          const out = (fn as (...a: unknown[]) => Promise<unknown>)(...args);
          const done = () => note((calls[k] ??= timed()), performance.now() - t0);
          if (k === 'appendMany') groupSizes.push((args[0] as unknown[]).length);
          return out.finally(done);
        },
      ]),
    ) as unknown as UpdateStore;
  /** Wraps a core's store and its frame handling, commit groups and after-update hook (bench only: reaches into private fields). */
  const instrument = (core: unknown) => {
    const c = core as { opts: { store: UpdateStore; onUpdate?: (...a: unknown[]) => void }; queue: { store: UpdateStore; commitGroup: () => Promise<void> }; receive: (...a: unknown[]) => void };
    const store = wrap(c.opts.store);
    c.opts.store = store;
    c.queue.store = store;
    const time = <F extends (...a: never[]) => unknown>(name: string, fn: F): F =>
      ((...a: Parameters<F>) => {
        const t0 = performance.now();
        const out = fn(...a);
        if (out instanceof Promise) return out.finally(() => note((calls[name] ??= timed()), performance.now() - t0));
        note((calls[name] ??= timed()), performance.now() - t0);
        return out;
      }) as F;
    c.receive = time('frame', c.receive.bind(c));
    c.queue.commitGroup = time('commitGroup', c.queue.commitGroup.bind(c.queue));
    if (c.opts.onUpdate) c.opts.onUpdate = time('onUpdate', c.opts.onUpdate);
  };
  const report = () => {
    const ms = (ns: number) => r3(ns / 1e6);
    const out = {
      loop: { p50: ms(loop.percentile(50)), p99: ms(loop.percentile(99)), max: ms(loop.max), mean: ms(loop.mean) },
      gc: summary(gc),
      store: Object.fromEntries(Object.entries(calls).map(([k, t]) => [k, summary(t)])),
      groups: { n: groupSizes.length, mean: r3(groupSizes.reduce((a, b) => a + b, 0) / (groupSizes.length || 1)), max: Math.max(0, ...groupSizes) },
    };
    loop.reset();
    gc = timed();
    calls = {};
    groupSizes = [];
    return out;
  };
  return { wrap, instrument, report };
}
