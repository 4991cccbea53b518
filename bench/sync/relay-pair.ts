// Relay latency of one pair: A moves a shape, B sees it (3,000 round trips, the first 300 warm-up,
// on two pairs of connections in turn).
// Every server gets one unmeasured run of the same 3,000 round trips before its first measured
// round, on a pair of its own: this process's client code (the y-websocket provider, Yjs's
// client-side apply) is compiled on whichever server runs first (Tessera's round came first, and
// the y-websocket server, which shares the client, got it warm), and each server's own relay path
// runs for the first time there (bytecode, then optimized code, over a few thousand updates). The
// pooled figures are each server's steady state; the first run's are printed beside them, not
// hidden (docs/sync.md, Latency under load).
import { addShape, moveShape, readShape } from '../../shared/doc/annotations.ts';
import type { SeededProject } from '../../server/testing/fixtures.ts';
import { docUpdates, until } from '../../server/testing/wait.ts';
import type { Connect } from './clients.ts';
import { ms, pct } from './util.ts';

const ROUND_TRIPS = 3000;
const WARM_UP = 300;
/** The servers (by their `connect`) that had their unmeasured run. */
const warmed = new WeakSet<Connect>();

/** A pair on `pairDoc`, synced, with the shape both move. */
async function openPair(connect: Connect, seed: SeededProject, pairDoc: string, shape: string) {
  const a = connect(pairDoc, seed.tokens.annotator);
  const b = connect(pairDoc, seed.tokens.reviewer);
  await Promise.all([a.synced(), b.synced()]);
  addShape(a.doc, { id: shape, kind: 'box', label: 'c', points: [0, 0, 1, 1] }, { author: seed.users.annotator.id });
  await until(() => !!readShape(b.doc, shape), [docUpdates(b.doc)], 5000, 'pair shape');
  return { a, b };
}

/** `n` round trips; the samples after the first `skip`. */
async function roundTrips(a: { doc: import('yjs').Doc }, b: { doc: import('yjs').Doc }, shape: string, n: number, skip: number): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    const arrived = new Promise<void>((r) => b.doc.once('update', () => r()));
    moveShape(a.doc, shape, [i, 0, 1, 1], { author: 'a' });
    await arrived;
    if (i >= skip) out.push(performance.now() - t0);
  }
  return out;
}

/**
 * The round trips of one run, on two pairs in turn (1,500 each): one connection sending 3,000
 * updates back to back in under ~2 s went over Tessera's per-connection message limit
 * (MESSAGE_RATE: 500/s after a burst of 2,000), and the server closed A with 1013 'too many
 * messages' once a run (A reconnected and resent). The peers have no such limit; every server gets
 * the same two pairs. Samples after the first `skip` of the run.
 */
async function run(connect: Connect, seed: SeededProject, pairDoc: string, tag: string, skip: number) {
  const first = await openPair(connect, seed, pairDoc, `${tag}0`);
  const out = await roundTrips(first.a, first.b, `${tag}0`, ROUND_TRIPS / 2, skip);
  first.a.destroy();
  first.b.destroy();
  const { a, b } = await openPair(connect, seed, pairDoc, `${tag}1`);
  out.push(...(await roundTrips(a, b, `${tag}1`, ROUND_TRIPS / 2, 0)));
  return { out, a, b };
}

/** Returns the samples of one measured run and its second pair, still connected (the caller closes it). */
export async function measurePair(connect: Connect, seed: SeededProject, echo: number[], label = '') {
  const pairDoc = `ann:${seed.images.assigned}`;
  if (!warmed.has(connect)) {
    warmed.add(connect);
    const { out: first, a, b } = await run(connect, seed, pairDoc, 'w', 0);
    a.destroy();
    b.destroy();
    console.log(`${label}relay, first run (unmeasured warm-up, not pooled): p50 ${ms(pct(first, 50))} ms, p99 ${ms(pct(first, 99))} ms; its last 1,000: p50 ${ms(pct(first.slice(-1000), 50))} ms`);
  }
  const { out: pair, a, b } = await run(connect, seed, pairDoc, 'p', WARM_UP);
  console.log(`${label}relay A→server→B, one pair: p50 ${ms(pct(pair, 50))} ms, p99 ${ms(pct(pair, 99))} ms (${ms(pct(pair, 50) / pct(echo, 50))}× echo p50; goal ≤ 5×)`);
  return { pair, a, b, pairDoc };
}
