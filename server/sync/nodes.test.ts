// Two sync nodes (cores) sharing one update store and one fan-out bus, as several server
// processes would share PostgreSQL and Redis: a write on one node reaches the other node's
// clients, is stored once, and presence crosses too.
import { describe, expect, it } from 'vitest';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as syncProtocol from 'y-protocols/sync';
import * as Y from 'yjs';
import { addShape, readShapes } from '../../shared/doc/annotations.ts';
import { inProcessBus } from '../adapters/memory/fanout.ts';
import { memoryUpdateStore } from '../adapters/memory/update-store.ts';
import { createSyncCore, type SyncTransport } from './core.ts';
import { MESSAGE, updateFrame } from './protocol.ts';

const DOC = 'ann:img1';

/** A transport that applies sync frames to its own doc and resolves `next(pred)` when a frame matching it arrives. */
function client() {
  const doc = new Y.Doc();
  const frames: Uint8Array[] = [];
  const waiters: Array<() => void> = [];
  const transport: SyncTransport = {
    send(frame) {
      frames.push(frame);
      const d = decoding.createDecoder(frame);
      if (decoding.readVarUint(d) === MESSAGE.sync) syncProtocol.readSyncMessage(d, encoding.createEncoder(), doc, 'server');
      waiters.splice(0).forEach((w) => w());
    },
    bufferedAmount: () => 0,
    close() {},
  };
  /** Resolves once `pred()` holds, checked after every frame (rejects after 5 s). */
  const until = (pred: () => boolean, what: string) =>
    new Promise<void>((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), 5000);
      const check = () => (pred() ? (clearTimeout(t), resolve()) : waiters.push(check));
      check();
    });
  return { doc, frames, transport, until };
}

function shapeUpdate(id: string, author: string) {
  const d = new Y.Doc();
  let update!: Uint8Array;
  d.on('update', (u: Uint8Array) => (update = u));
  addShape(d, { id, kind: 'point', label: 'c', points: [1, 2] }, { author });
  return updateFrame(update);
}

describe('sync nodes over the fan-out port', () => {
  it('relays a durable write from one node to the clients of another, stored once', async () => {
    const store = memoryUpdateStore();
    const bus = inProcessBus();
    const one = createSyncCore({ store, fanout: bus.node(), log: () => {} });
    const two = createSyncCore({ store, fanout: bus.node(), log: () => {} });
    const a = client();
    const b = client();
    const ca = one.connect(DOC, { userId: 'ua', access: 'write' }, a.transport);
    await ca.ready;
    await one.flush(); // the migration's row
    const cb = two.connect(DOC, { userId: 'ub', access: 'write' }, b.transport);
    await cb.ready;
    ca.receive(shapeUpdate('s1', 'ua'));
    await b.until(() => readShapes(b.doc).shapes.length === 1, 's1 at b');
    expect(readShapes(two.doc(DOC)!).shapes.map((s) => s.id)).toEqual(['s1']);
    cb.receive(shapeUpdate('s2', 'ub'));
    await a.until(() => readShapes(a.doc).shapes.some((s) => s.id === 's2'), 's2 at a'); // a's own s1 is not echoed to it
    await Promise.all([one.flush(), two.flush()]);
    // one row per update (plus the migration of each load), never the relayed copy again
    const users = store.rows.get(DOC)!.map((r) => r.userId);
    expect(users.filter((u) => u === 'ua')).toHaveLength(1);
    expect(users.filter((u) => u === 'ub')).toHaveLength(1);
    await Promise.all([one.close(), two.close()]);
  });

  it('carries presence between nodes', async () => {
    const store = memoryUpdateStore();
    const bus = inProcessBus();
    const one = createSyncCore({ store, fanout: bus.node(), log: () => {} });
    const two = createSyncCore({ store, fanout: bus.node(), log: () => {} });
    const a = client();
    const b = client();
    const ca = one.connect(DOC, { userId: 'ua', access: 'write' }, a.transport);
    await Promise.all([ca.ready, two.connect(DOC, { userId: 'ub', access: 'write' }, b.transport).ready]);
    const e = encoding.createEncoder();
    encoding.writeVarUint(e, 1); // one entry
    encoding.writeVarUint(e, 4242);
    encoding.writeVarUint(e, 1);
    encoding.writeVarString(e, JSON.stringify({ user: { id: 'ua' }, cursor: { x: 1, y: 2 } }));
    const f = encoding.createEncoder();
    encoding.writeVarUint(f, MESSAGE.awareness);
    encoding.writeVarUint8Array(f, encoding.toUint8Array(e));
    ca.receive(encoding.toUint8Array(f));
    await b.until(() => b.frames.some((x) => x[0] === MESSAGE.awareness), 'presence at b');
    await Promise.all([one.close(), two.close()]);
  });
});
