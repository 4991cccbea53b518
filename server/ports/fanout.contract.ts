// The contract every fan-out adapter passes (in-process now; Redis later). `make` returns a bus
// from which the checks take several nodes. Checks are plain async functions (see the
// update-store contract); `fanoutContract(make)` registers them as vitest tests.
import { expect, it } from 'vitest';
import type { Fanout, FanoutMessage } from './fanout.ts';

export type MakeFanoutBus = () => { node(): Fanout } | Promise<{ node(): Fanout }>;

let unique = 0;
const docName = () => `ann:fanout${++unique}`;
const msg = (n: number, kind: FanoutMessage['kind'] = 'update'): FanoutMessage => ({ kind, payload: Uint8Array.from([n & 255, n >> 8]) });
const num = (m: FanoutMessage) => m.payload[0] + (m.payload[1] << 8);

/** A subscription's inbox, and a way to await its n-th message. */
function inbox() {
  const got: FanoutMessage[] = [];
  const waiters: Array<{ n: number; resolve: () => void }> = [];
  return {
    got,
    deliver: (m: FanoutMessage) => {
      got.push(m);
      for (const w of waiters.filter((x) => got.length >= x.n)) (waiters.splice(waiters.indexOf(w), 1), w.resolve());
    },
    /** Resolves once `n` messages arrived (rejects after 5 s, naming what is missing). */
    until: (n: number) =>
      got.length >= n
        ? Promise.resolve()
        : new Promise<void>((resolve, reject) => {
            const t = setTimeout(() => reject(new Error(`fan-out: ${got.length} of ${n} messages arrived`)), 5000);
            waiters.push({ n, resolve: () => (clearTimeout(t), resolve()) });
          }),
  };
}

export const fanoutChecks: Record<string, (make: MakeFanoutBus) => Promise<void>> = {
  async 'delivers to the other nodes subscribed to the document, not to itself nor to other documents'(make) {
    const bus = await make();
    const [a, b, c] = [bus.node(), bus.node(), bus.node()];
    const doc = docName();
    const [ia, ib, ic, iother] = [inbox(), inbox(), inbox(), inbox()];
    const ta = a.subscribe(doc, ia.deliver);
    b.subscribe(doc, ib.deliver);
    c.subscribe(doc, ic.deliver);
    b.subscribe(docName(), iother.deliver);
    ta.publish(msg(1));
    ta.publish(msg(2, 'awareness'));
    await Promise.all([ib.until(2), ic.until(2)]);
    expect(ib.got.map((m) => [m.kind, num(m)])).toEqual([['update', 1], ['awareness', 2]]);
    expect(ic.got.map(num)).toEqual([1, 2]);
    expect(ia.got).toEqual([]);
    expect(iother.got).toEqual([]);
    await Promise.all([a.close(), b.close(), c.close()]);
  },

  async "keeps each publisher's order"(make) {
    const bus = await make();
    const [a, b, c] = [bus.node(), bus.node(), bus.node()];
    const doc = docName();
    const ic = inbox();
    const ta = a.subscribe(doc, () => {});
    const tb = b.subscribe(doc, () => {});
    c.subscribe(doc, ic.deliver);
    for (let i = 0; i < 200; i++) (i % 2 ? tb : ta).publish(msg(i));
    await ic.until(200);
    const from = (odd: number) => ic.got.map(num).filter((n) => n % 2 === odd);
    expect(from(0)).toEqual(Array.from({ length: 100 }, (_, i) => 2 * i));
    expect(from(1)).toEqual(Array.from({ length: 100 }, (_, i) => 2 * i + 1));
    await Promise.all([a.close(), b.close(), c.close()]);
  },

  async 'delivers nothing to a closed subscription or node, and a closed one publishes nothing'(make) {
    const bus = await make();
    const [a, b, c] = [bus.node(), bus.node(), bus.node()];
    const doc = docName();
    const [ib, ic] = [inbox(), inbox()];
    const ta = a.subscribe(doc, () => {});
    const tb = b.subscribe(doc, ib.deliver);
    c.subscribe(doc, ic.deliver);
    ta.publish(msg(1));
    await Promise.all([ib.until(1), ic.until(1)]);
    tb.close();
    tb.close(); // idempotent
    tb.publish(msg(99));
    ta.publish(msg(2));
    await ic.until(2);
    await c.close();
    ta.publish(msg(3));
    const id = inbox();
    const d = bus.node();
    d.subscribe(doc, id.deliver);
    ta.publish(msg(4));
    await id.until(1);
    expect(ib.got.map(num)).toEqual([1]);
    expect(ic.got.map(num)).toEqual([1, 2]);
    expect(id.got.map(num)).toEqual([4]);
    await Promise.all([a.close(), b.close(), d.close()]);
  },

  async "delivers the bytes as published, whatever the publisher does with its buffer afterwards"(make) {
    const bus = await make();
    const [a, b] = [bus.node(), bus.node()];
    const doc = docName();
    const ib = inbox();
    const ta = a.subscribe(doc, () => {});
    b.subscribe(doc, ib.deliver);
    const payload = Uint8Array.from([1, 2, 3]);
    ta.publish({ kind: 'update', payload });
    payload.fill(0);
    await ib.until(1);
    expect([...ib.got[0].payload]).toEqual([1, 2, 3]);
    await Promise.all([a.close(), b.close()]);
  },
};

export function fanoutContract(make: MakeFanoutBus): void {
  for (const [title, check] of Object.entries(fanoutChecks)) it(title, () => check(make));
}
