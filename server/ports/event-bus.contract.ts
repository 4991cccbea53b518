// The contract every event-bus adapter passes (in-process now; Redis pub/sub or PostgreSQL
// LISTEN later): delivery to every subscriber of the project and only of that project, in
// publish order, none after unsubscribing, and a throwing listener never reaching the publisher
// or the other listeners. `eventBusContract(make)` registers the checks as vitest tests; an
// adapter that delivers asynchronously passes too (checks await delivery, never a fixed time).
import { expect, it } from 'vitest';
import type { ProjectEvent } from '../../shared/api/events.ts';
import type { EventBus } from './event-bus.ts';

export type MakeEventBus = () => EventBus | Promise<EventBus>;

let unique = 0;
const project = () => `contract-project-${++unique}`;
const ev = (n: number): ProjectEvent => ({ type: 'run', run: { id: `run-${n}`, status: 'running', steps: [] } });
const num = (e: ProjectEvent) => (e.type === 'run' ? Number(e.run.id.slice(4)) : -1);

/** Collects a listener's events; `have(n)` resolves once n arrived. */
function inbox() {
  const got: number[] = [];
  const waiters: Array<{ n: number; resolve: () => void }> = [];
  return {
    got,
    listener: (e: ProjectEvent) => {
      got.push(num(e));
      for (const w of [...waiters]) if (got.length >= w.n) (waiters.splice(waiters.indexOf(w), 1), w.resolve());
    },
    have: (n: number) => new Promise<void>((resolve) => (got.length >= n ? resolve() : waiters.push({ n, resolve }))),
  };
}

export function eventBusContract(make: MakeEventBus): void {
  it('delivers to every subscriber of the project, in publish order', async () => {
    const bus = await make();
    const p = project();
    const a = inbox();
    const b = inbox();
    bus.subscribe(p, a.listener);
    bus.subscribe(p, b.listener);
    for (let i = 1; i <= 50; i++) bus.publish(p, ev(i));
    await Promise.all([a.have(50), b.have(50)]);
    const order = Array.from({ length: 50 }, (_, i) => i + 1);
    expect(a.got).toEqual(order);
    expect(b.got).toEqual(order);
  });

  it('keeps projects apart, and stops delivering after unsubscribe', async () => {
    const bus = await make();
    const [p, q] = [project(), project()];
    const onP = inbox();
    const onQ = inbox();
    const off = bus.subscribe(p, onP.listener);
    bus.subscribe(q, onQ.listener);
    bus.publish(p, ev(1));
    bus.publish(q, ev(2));
    await Promise.all([onP.have(1), onQ.have(1)]);
    off();
    bus.publish(p, ev(3));
    bus.publish(q, ev(4)); // delivered after ev(3) would have been, on an ordered bus
    await onQ.have(2);
    expect(onP.got).toEqual([1]);
    expect(onQ.got).toEqual([2, 4]);
  });

  it('a throwing listener reaches neither the publisher nor the other listeners', async () => {
    const bus = await make();
    const p = project();
    const ok = inbox();
    bus.subscribe(p, () => {
      throw new Error('listener broke');
    });
    bus.subscribe(p, ok.listener);
    expect(() => bus.publish(p, ev(1))).not.toThrow();
    bus.publish(p, ev(2));
    await ok.have(2);
    expect(ok.got).toEqual([1, 2]);
  });

  it('a publish with no subscribers is a no-op, and unsubscribing twice is harmless', async () => {
    const bus = await make();
    const p = project();
    expect(() => bus.publish(p, ev(1))).not.toThrow();
    const a = inbox();
    const off = bus.subscribe(p, a.listener);
    off();
    expect(() => off()).not.toThrow();
    const b = inbox();
    bus.subscribe(p, b.listener);
    bus.publish(p, ev(2));
    await b.have(1);
    expect(a.got).toEqual([]);
    expect(b.got).toEqual([2]);
  });
}
