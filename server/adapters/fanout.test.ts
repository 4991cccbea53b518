// The fan-out contract against every adapter, and proof that it can fail: a bus that echoes a
// node's messages back to itself does not pass it.
import { describe, expect, it } from 'vitest';
import { fanoutChecks, fanoutContract } from '../ports/fanout.contract.ts';
import type { Fanout } from '../ports/fanout.ts';
import { inProcessBus } from './memory/fanout.ts';

describe('in-process fan-out (contract)', () => fanoutContract(() => inProcessBus()));

/** Test-only: a node that also hears its own messages (as a careless Redis adapter would). */
function echoingBus() {
  const bus = inProcessBus();
  return {
    node(): Fanout {
      const n = bus.node();
      return {
        subscribe(docName, deliver) {
          const t = n.subscribe(docName, deliver);
          return { publish: (m) => (t.publish(m), queueMicrotask(() => deliver(m))), close: () => t.close() };
        },
        close: () => n.close(),
      };
    },
  };
}

describe('the fan-out contract', () => {
  it('fails a bus that echoes messages to their publisher', async () => {
    const failed: string[] = [];
    for (const [title, check] of Object.entries(fanoutChecks)) await check(echoingBus).catch(() => failed.push(title));
    expect(failed).toContain('delivers to the other nodes subscribed to the document, not to itself nor to other documents');
  });
});
