// Baseline: a raw WebSocket echo round trip through the same server process.
import { WebSocket } from 'ws';

export async function echoLatency(url: string, n: number): Promise<number[]> {
  const ws = new WebSocket(url.replace(/^http/, 'ws') + '/bench/echo');
  await new Promise((r) => ws.once('open', r));
  const out: number[] = [];
  const payload = new Uint8Array(64);
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    await new Promise<void>((r) => {
      ws.once('message', () => r());
      ws.send(payload);
    });
    out.push(performance.now() - t0);
  }
  ws.close();
  return out;
}
