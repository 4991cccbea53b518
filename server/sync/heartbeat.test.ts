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
  ws.on('ping', () => pings++);
  return { ws, opened, closed, pings: () => pings };
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
    // first ping within one interval of connecting, termination one interval later (plus timer slack)
    expect(at - openedAt).toBeGreaterThanOrEqual(INTERVAL * 0.8);
    expect(at - openedAt).toBeLessThan(INTERVAL * 2 + 250);
    await new Promise((r) => setTimeout(r, INTERVAL * 6));
    expect(honest.ws.readyState).toBe(WebSocket.OPEN);
    expect(honest.pings()).toBeGreaterThanOrEqual(4);
    honest.ws.close();
  });
});
