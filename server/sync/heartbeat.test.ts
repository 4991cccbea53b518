// Dead sockets are found by ping/pong: a socket that stops answering pings is terminated after
// about two ping intervals, while one that answers stays open.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { startSyncTestServer, type SyncTestServer } from '../testing/sync-server.ts';
import { syncServerUrl } from './client.ts';

const INTERVAL = 50;

function open(url: string, autoPong: boolean) {
  const ws = new WebSocket(url, { autoPong });
  const opened = new Promise<number>((resolve, reject) => {
    ws.once('open', () => resolve(performance.now()));
    ws.once('error', reject);
  });
  const closed = new Promise<{ code: number; at: number }>((resolve) => ws.once('close', (code) => resolve({ code, at: performance.now() })));
  let pings = 0;
  const waiters: { n: number; resolve: () => void }[] = [];
  ws.on('ping', () => {
    pings++;
    for (const w of waiters.splice(0)) (pings >= w.n ? w.resolve() : waiters.push(w));
  });
  /** Resolves once `n` pings have arrived in all. */
  const pinged = (n: number) => new Promise<void>((resolve) => (pings >= n ? resolve() : waiters.push({ n, resolve })));
  return { ws, opened, closed, pings: () => pings, pinged };
}

describe('heartbeat', () => {
  let t: SyncTestServer;
  beforeAll(async () => {
    t = await startSyncTestServer({ pingIntervalMs: INTERVAL });
  });
  afterAll(async () => {
    await t.close();
  });

  it('terminates a socket that stops answering pings after about two intervals; one that answers stays', async () => {
    const url = `${syncServerUrl(t.url)}/ann:${t.seed.images.assigned}?token=${t.seed.tokens.annotator}`;
    const silent = open(url, false);
    const honest = open(url, true);
    const openedAt = await silent.opened;
    await honest.opened;
    const { code, at } = await silent.closed;
    expect(code).toBe(1006); // terminated: no close frame
    expect(silent.pings()).toBeGreaterThanOrEqual(1);
    // Not before the first unanswered ping's interval has passed (no upper bound: a loaded machine
    // delays timers, and timing goals live in benches, not tests).
    expect(at - openedAt).toBeGreaterThanOrEqual(INTERVAL * 0.8);
    // The answering socket outlives several more rounds of pings.
    await honest.pinged(silent.pings() + 3);
    expect(honest.ws.readyState).toBe(WebSocket.OPEN);
    honest.ws.close();
  });
});
