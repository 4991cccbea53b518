// Cold load of the 10,000-shape document to a first synced client, before and after compaction,
// beside the floor under any client: its own Y.applyUpdate of the same state.
import * as Y from 'yjs';
import { connectSyncClient } from '../../server/sync/client.ts';
import type { SeededProject } from '../../server/testing/fixtures.ts';
import { fetchState } from './seed.ts';
import { pct, type Ask, type Stats } from './util.ts';

export async function measureColdLoad(url: string, seed: SeededProject, ask: Ask) {
  // cold load of the 10,000-shape document to a first synced client, before and after compaction
  const big = `ann:${seed.images.free}`;
  const cold = async () => {
    await ask('unload');
    const t0 = performance.now();
    const c = connectSyncClient({ url, docName: big, token: seed.tokens.manager });
    await c.synced(30_000);
    const took = performance.now() - t0;
    c.destroy();
    return took;
  };
  const waitEmpty = () => new Promise<void>((r) => {
    const check = async () => ((await ask<Stats>('stats')).connections === 0 ? r() : setTimeout(check, 10));
    void check();
  });
  await waitEmpty();
  // Before compaction: the document as editing wrote it, one row per shape (never loaded yet).
  const serverLoadBefore = await ask<number>('logLoadTime', big);
  const coldBefore = await cold();
  await waitEmpty();
  await ask('compact', big);
  const serverLoadAfter = await ask<number>('loadTime', big);
  const coldAfter = await cold();
  // The floor under any client: applying the same state to an empty Y.Doc in this process.
  const state = await fetchState(url, big, seed.tokens.manager);
  const applyTimes: number[] = [];
  for (let i = 0; i < 5; i++) {
    const t0 = performance.now();
    Y.applyUpdate(new Y.Doc(), state);
    applyTimes.push(performance.now() - t0);
  }
  const clientApply = pct(applyTimes, 50);
  console.log(`cold load of 10,000 shapes to a synced client: ${Math.round(coldBefore)} ms before compaction (server load of the 10,000-row log ${Math.round(serverLoadBefore)} ms), ${Math.round(coldAfter)} ms after (server ${Math.round(serverLoadAfter)} ms: served as stored) (goal ≤ 100 ms)`);
  console.log(`  of which a client's own Y.applyUpdate of the ${(state.byteLength / 1e6).toFixed(2)} MB state: ${Math.round(clientApply)} ms (median of 5, no network, no server)`);
  return { coldBefore, coldAfter, serverLoadBefore, serverLoadAfter, clientApply };
}
