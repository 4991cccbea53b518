// Server memory: idle (at start, and at its lowest over 30 s of idling), with 1,000 documents of 100 shapes open (served as stored), after one write
// each (live Y.Docs), and after they go idle and unload. Runs first, on the fresh server process
// (RSS is a high-water mark: the lightest state goes first). Then the floor under it (floor.ts):
// the stack's packages imported and nothing started, and plain Node, measured the same way.
import { measureFloors } from './floor.ts';
import { RSS_DOCS, idleStats, mb, rssSplit, rssSplitKeys, settledStats, type Ask, type Stats } from './util.ts';

export async function measureMemory(ask: Ask): Promise<Record<string, unknown>> {
  const results: Record<string, unknown> = {};
  const s0 = await ask<Stats>('stats');
  const quiet = await idleStats(ask);
  await ask('open');
  const s1 = await ask<Stats>('stats');
  await ask('wake');
  const s2 = await ask<Stats>('stats');
  await ask('closeAll');
  const s3 = await ask<Stats>('stats');
  const s4 = await settledStats(ask);
  const s5 = await idleStats(ask);
  console.log(`server RSS: ${mb(s0.rss)} MB idle at start (heap ${mb(s0.heap)} MB of ${mb(s0.heapTotal)} MB), ${mb(quiet.rss)} MB once idle (${quiet.atMs} ms later, heap of ${mb(quiet.heapTotal)} MB)`);
  console.log(`server RSS: ${RSS_DOCS} docs × 100 shapes open (${s1.hibernating} served as stored): ${mb(s1.rss)} MB (heap ${mb(s1.heap)} MB) (goal ≤ 300 MB)`);
  console.log(`server RSS: the same ${RSS_DOCS} docs after one write each (${s2.docs - s2.hibernating} live Y.Docs): ${mb(s2.rss)} MB (heap ${mb(s2.heap)} MB)`);
  console.log(`server RSS: after they go idle and unload (each compacted on the way out): ${mb(s3.rss)} MB at once (heap ${mb(s3.heap)} MB), ${mb(s4.rss)} MB once it settled (${s4.settleMs} ms later), ${mb(s5.rss)} MB once idle (${s5.atMs} ms after that)`);
  console.log(`server RSS split, once idle: ${rssSplit(quiet)}; after the unload, once idle: ${rssSplit(s5)}`);
  Object.assign(results, rssSplitKeys('rss_idle_quiet', quiet), rssSplitKeys('rss_after_unload_quiet', s5));
  Object.assign(results, {
    rss_idle_mb: mb(s0.rss), rss_idle_quiet_mb: mb(quiet.rss), rss_1000_docs_open_mb: mb(s1.rss), rss_1000_docs_live_mb: mb(s2.rss), rss_after_unload_mb: mb(s3.rss), rss_after_unload_settled_mb: mb(s4.rss), rss_after_unload_quiet_mb: mb(s5.rss),
    heap_1000_docs_open_mb: mb(s1.heap), heap_1000_docs_live_mb: mb(s2.heap), heap_after_unload_mb: mb(s3.heap), rss_goal_mb: 300,
  });
  Object.assign(results, await measureFloors());
  return results;
}
