// The reference peer measured in the same run, on the same seeded data: the y-websocket server
// (@y/websocket-server) in a forked process of its own — relay of one pair, relay under load, RSS
// idle / with the 1,000 documents / after dropping them, and cold load of the 10,000-shape
// document to a synced client. It keeps documents in memory (no persistence configured), so its
// cold load starts from a document already in its memory: an advantage Tessera does not take.
import { fileURLToPath } from 'node:url';
import { connectSyncClient } from '../../server/sync/client.ts';
import type { SeededProject } from '../../server/testing/fixtures.ts';
import { forkChild } from './child.ts';
import { measureLoad } from './load.ts';
import { measurePair } from './relay-pair.ts';
import { mb, ms, pct, settledStats, type Stats } from './util.ts';

export const PEER = 'y-websocket-server 0.1.1 (in memory, not durable)';

export async function measurePeer(dataDir: string, seed: SeededProject, loadImages: string[], echo: number[]): Promise<Record<string, unknown>> {
  const peer = await forkChild(fileURLToPath(new URL('./peer-child.ts', import.meta.url)), ['--peer', dataDir]);
  try {
    const idle = await peer.ask<Stats>('stats');
    await peer.ask('open');
    const open = await peer.ask<Stats>('stats');
    await peer.ask('closeAll');
    const closed = await peer.ask<Stats>('stats');
    const settled = await settledStats(peer.ask);
    console.log(`peer ${PEER}: RSS ${mb(idle.rss)} MB idle, ${mb(open.rss)} MB with the 1,000 documents, ${mb(closed.rss)} MB after dropping them, ${mb(settled.rss)} MB once it settled (${settled.settleMs} ms later)`);
    const { pair, a, b } = await measurePair(peer.url, seed, echo, 'peer: ');
    a.destroy();
    b.destroy();
    const { load } = await measureLoad(peer.url, seed, loadImages, 'peer: ');
    const big = `ann:${seed.images.free}`;
    await peer.ask('load', big);
    const t0 = performance.now();
    const c = connectSyncClient({ url: peer.url, docName: big });
    await c.synced(30_000);
    const cold = performance.now() - t0;
    c.destroy();
    console.log(`peer: load of 10,000 shapes to a synced client (document already in the peer's memory): ${Math.round(cold)} ms`);
    return {
      peer: PEER,
      peer_p50_ms: ms(pct(pair, 50)),
      peer_p99_ms: ms(pct(pair, 99)),
      peer_load_p50_ms: ms(pct(load, 50)),
      peer_load_p99_ms: ms(pct(load, 99)),
      peer_rss_idle_mb: mb(idle.rss),
      peer_rss_1000_docs_mb: mb(open.rss),
      peer_rss_after_close_mb: mb(closed.rss),
      peer_rss_after_close_settled_mb: mb(settled.rss),
      peer_cold_load_ms: Math.round(cold),
    };
  } finally {
    await peer.stop();
  }
}
