// Demo model runs: four runs with metrics (mAP, mAP50, per-class AP) against the demo's first two
// releases, recorded through the real run service by the engineer (training, validation split)
// and QA (evaluation on the test split, with a note), so a newcomer sees a lineage graph at once.
import type { ProjectId, UserId } from '../shared/ids.ts';
import type { RunBody } from '../shared/api/runs.ts';
import type { User } from './services/auth.ts';
import { recordRun, type RunDeps } from './services/runs.ts';

const CLASS_AP: Record<string, number> = { car: 0.58, person: 0.46, bicycle: 0.31, dog: 0.37, 'traffic light': 0.29 };

/** Per-class AP nudged by `gain` (deterministic), and its mean as mAP. */
function metricsFor(gain: number, test: boolean) {
  const AP = Object.fromEntries(Object.entries(CLASS_AP).map(([k, v], i) => [k, round3(v + gain * (1 + (i % 3) * 0.5) - (test ? 0.012 * (1 + (i % 2)) : 0))]));
  const mAP = round3(Object.values(AP).reduce((a, b) => a + b, 0) / Object.keys(AP).length);
  return { mAP, mAP50: round3(mAP + 0.21), AP };
}
const round3 = (v: number) => Math.round(v * 1000) / 1000;

export async function seedDemoRuns(d: RunDeps, projectId: ProjectId, users: Record<string, User>): Promise<string[]> {
  const [second, first] = await d.releases.list(projectId, { limit: 2 });
  if (!first || !second) return [];
  const engineer = users.engineer.id as UserId;
  const qa = users.qa.id as UserId;
  const params = { epochs: 40, lr: 0.01, imgsz: 640, batch: 16 };
  const plan: Array<[UserId, RunBody]> = [
    [engineer, { model: 'street-det', version: '0.1.0', release: first.number, split: 'val', metrics: metricsFor(0, false), params, code: 'a1c9e3b' }],
    [qa, { model: 'street-det', version: '0.1.0', release: first.number, split: 'test', metrics: metricsFor(0, true), notes: 'Evaluation on the held-out test split: bicycles and traffic lights are weakest.' }],
    [engineer, { model: 'street-det', version: '0.2.0', release: second.number, split: 'val', metrics: metricsFor(0.03, false), params: { ...params, epochs: 60 }, code: '5f02d7e' }],
    [qa, { model: 'street-det', version: '0.2.0', release: second.number, split: 'test', metrics: metricsFor(0.03, true), notes: 'The relabelled shape helped: every class up on the test split.' }],
  ];
  const ids: string[] = [];
  for (const [actor, body] of plan) {
    const run = await recordRun(d, actor, projectId, body);
    ids.push(run.id);
    // Runs list newest first by time: let the clock move on, so the demo's order is the plan's.
    while (Date.now() <= run.createdAt) await new Promise((r) => setImmediate(r));
  }
  return ids;
}
