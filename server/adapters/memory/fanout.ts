// The in-process fan-out: a bus that several sync nodes (cores) in one process share. Delivery is
// asynchronous (a microtask), like a network bus, and keeps each publisher's order; payloads are
// copied, so a publisher may reuse its buffer. With one node per bus, publishing costs a lookup.
import type { Fanout, FanoutMessage, FanoutTopic } from '../../ports/fanout.ts';

export interface InProcessBus {
  /** A node's connection to the bus. */
  node(): Fanout;
}

type Subscriber = { deliver: (m: FanoutMessage) => void; open: boolean };

export function inProcessBus(): InProcessBus {
  const topics = new Map<string, Set<Subscriber>>();
  return {
    node(): Fanout {
      const mine = new Set<{ docName: string; sub: Subscriber }>();
      return {
        subscribe(docName, deliver): FanoutTopic {
          const sub: Subscriber = { deliver, open: true };
          let set = topics.get(docName);
          if (!set) topics.set(docName, (set = new Set()));
          set.add(sub);
          const entry = { docName, sub };
          mine.add(entry);
          return {
            publish(message) {
              const others = topics.get(docName);
              if (!sub.open || !others || others.size < 2) return;
              const copy = { kind: message.kind, payload: message.payload.slice() };
              for (const o of others) if (o !== sub) queueMicrotask(() => o.open && o.deliver(copy));
            },
            close() {
              if (!sub.open) return;
              sub.open = false;
              mine.delete(entry);
              const s = topics.get(docName);
              s?.delete(sub);
              if (s?.size === 0) topics.delete(docName);
            },
          };
        },
        async close() {
          for (const { docName, sub } of [...mine]) {
            sub.open = false;
            const s = topics.get(docName);
            s?.delete(sub);
            if (s?.size === 0) topics.delete(docName);
          }
          mine.clear();
        },
      };
    },
  };
}
