// `npm run bench:releases`: cutting 10,000 images / 200,000 shapes beside the canonical-JSON +
// SHA-256 floor of the same manifest, pulling 2,000 × ~100 KB beside plain parallel GETs with the
// same connection count, and a pull killed at 50% and resumed (verified blobs fetched again).
import { benchCut } from './releases/cut.ts';
import { benchPull } from './releases/pull.ts';

import { loadavg } from 'node:os';

const round = (v: number, d = 1) => Math.round(v * 10 ** d) / 10 ** d;
const load = () => loadavg().map((v) => round(v, 2));
const loadBefore = load();

const cut = await benchCut();
console.log(`cut ${cut.images.toLocaleString('en-US')} images / ${cut.shapes.toLocaleString('en-US')} shapes (manifest ${round(cut.manifestBytes / 1e6)} MB): ${round(cut.cutMs)} ms`);
console.log(`the same state again (answered with that release): ${round(cut.recutMs)} ms; with empty caches (after a restart: the state key stored with the release): ${round(cut.recutColdMs)} ms`);
console.log(`one shape relabelled on one image and approved, cut against the release as parent: ${round(cut.oneChangedMs)} ms`);
console.log(`floor: canonical JSON + SHA-256 of the same manifest: ${round(cut.floorMs)} ms (cut / floor ${round(cut.cutMs / cut.floorMs, 2)}×)`);
const pull = await benchPull();
console.log(`pull ${pull.images.toLocaleString('en-US')} blobs, ${round(pull.totalBytes / 1e6)} MB, ${pull.connections} connections: ${round(pull.pullMs)} ms = ${round(pull.pullMbS)} MB/s (median of 3, fresh cache, process start included)`);
console.log(`baseline: plain parallel GET of the same URLs, ${pull.connections} connections: ${round(pull.rawMs)} ms = ${round(pull.rawMbS)} MB/s; ratio ${round(pull.pullMbS / pull.rawMbS, 2)} (goal ≥ 0.8)`);
console.log(`resume: killed with ${pull.killedAt} of ${pull.images} blobs verified; the rerun fetched ${pull.refetched} of those again (goal 0)`);
const loadAfter = load();
console.log(`load average (1, 5, 15 min): ${loadBefore.join(' ')} before, ${loadAfter.join(' ')} after (2 cores, shared)`);
console.log(
  JSON.stringify({
    bench: 'releases',
    cut_ms: round(cut.cutMs),
    cut_floor_ms: round(cut.floorMs),
    recut_ms: round(cut.recutMs),
    recut_cold_ms: round(cut.recutColdMs),
    cut_one_changed_ms: round(cut.oneChangedMs),
    images: cut.images,
    shapes: cut.shapes,
    pull_mb_s: round(pull.pullMbS, 2),
    raw_mb_s: round(pull.rawMbS, 2),
    baseline: 'plain parallel GET, same connections',
    ratio: round(pull.pullMbS / pull.rawMbS, 2),
    refetched: pull.refetched,
    load_before: loadBefore,
    load_after: loadAfter,
  }),
);
