// Relay latency of one pair: A moves a shape, B sees it (3,000 round trips, the first 300 warm-up).
import { addShape, moveShape, readShape } from '../../shared/doc/annotations.ts';
import type { SeededProject } from '../../server/testing/fixtures.ts';
import { docUpdates, until } from '../../server/testing/wait.ts';
import type { Connect } from './clients.ts';
import { ms, pct } from './util.ts';

/** Returns the samples and the two connected clients (the durable-rate run reuses them). */
export async function measurePair(connect: Connect, seed: SeededProject, echo: number[], label = '') {
  // relay latency, one pair
  const pairDoc = `ann:${seed.images.assigned}`;
  const a = connect(pairDoc, seed.tokens.annotator);
  const b = connect(pairDoc, seed.tokens.reviewer);
  await Promise.all([a.synced(), b.synced()]);
  addShape(a.doc, { id: 'p', kind: 'box', label: 'c', points: [0, 0, 1, 1] }, { author: seed.users.annotator.id });
  await until(() => !!readShape(b.doc, 'p'), [docUpdates(b.doc)], 5000, 'pair shape');
  const pair: number[] = [];
  for (let i = 0; i < 3000; i++) {
    const t0 = performance.now();
    const arrived = new Promise<void>((r) => b.doc.once('update', () => r()));
    moveShape(a.doc, 'p', [i, 0, 1, 1], { author: 'a' });
    await arrived;
    if (i >= 300) pair.push(performance.now() - t0);
  }
  console.log(`${label}relay A→server→B, one pair: p50 ${ms(pct(pair, 50))} ms, p99 ${ms(pct(pair, 99))} ms (${ms(pct(pair, 50) / pct(echo, 50))}× echo p50; goal ≤ 5×)`);
  return { pair, a, b, pairDoc };
}
