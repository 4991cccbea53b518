// Relay under load: 100 clients on 20 documents at 1,000 updates/s in total for 5 s; latency from
// the send time written into the shape to its arrival at every other client of the document.
import { addShape, moveShape, observeShapes, readShape } from '../../shared/doc/annotations.ts';
import type { SeededProject } from '../../server/testing/fixtures.ts';
import { every, until } from '../../server/testing/wait.ts';
import type { BenchClient, Connect } from './clients.ts';
import { LOAD_DOCS, PER_DOC, RATE, SECONDS, ms, pct } from './util.ts';

export async function measureLoad(connect: Connect, seed: SeededProject, loadImages: string[], label = '') {
  // 100 clients across 20 documents at 1,000 updates/s in total
  const clients: Array<{ c: BenchClient; shape: string; user: string }> = [];
  for (const img of loadImages) for (let k = 0; k < PER_DOC; k++) {
    clients.push({ c: connect(`ann:${img}`, k % 2 ? seed.tokens.manager : seed.tokens.reviewer), shape: `w${k}`, user: k % 2 ? seed.users.manager.id : seed.users.reviewer.id });
  }
  await Promise.all(clients.map((x) => x.c.synced(20_000)));
  for (const x of clients) addShape(x.c.doc, { id: x.shape, kind: 'box', label: 'c', points: [0, 0, 1, 1] }, { author: x.user }); // the server refuses forged authors
  await until(() => clients.every((x) => x.c.doc.getMap('shapes').size === PER_DOC), [every(20)], 20_000, 'load shapes everywhere');
  const load: number[] = [];
  let recording = true;
  for (const x of clients) {
    observeShapes(x.c.doc, ({ ids, local }) => {
      if (local || !recording) return;
      const now = performance.now();
      for (const id of ids) {
        const s = readShape(x.c.doc, id);
        if (s && s.points[0] > 0) load.push(now - s.points[0]);
      }
    });
  }
  let sent = 0;
  const tl = performance.now();
  await new Promise<void>((done) => {
    let next = 0;
    const tick = () => {
      const due = Math.min(RATE * SECONDS, Math.floor(((performance.now() - tl) / 1000) * RATE));
      while (sent < due) {
        const x = clients[next++ % clients.length];
        moveShape(x.c.doc, x.shape, [performance.now(), sent, 1, 1], { author: 'x' });
        sent++;
      }
      if (sent >= RATE * SECONDS) return done();
      setTimeout(tick, 1);
    };
    tick();
  });
  const achieved = Math.round(sent / ((performance.now() - tl) / 1000));
  await until(() => load.length >= sent * (PER_DOC - 1) * 0.999, [every(20)], 20_000, () => `deliveries (${load.length}/${sent * (PER_DOC - 1)})`);
  recording = false;
  console.log(`${label}relay under load, ${clients.length} clients / ${LOAD_DOCS} docs at ${achieved} updates/s: p50 ${ms(pct(load, 50))} ms, p99 ${ms(pct(load, 99))} ms over ${load.length} deliveries (goal p99 ≤ 5 ms)`);
  clients.forEach((x) => x.c.destroy());
  return { load, achieved, clients: clients.length };
}
