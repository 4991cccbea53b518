// Relays what other processes (`tessera worker`) do to jobs and pipeline runs onto this process's
// event bus, so that the project event stream shows them as it shows in-process jobs. Each tick
// asks the change feed whether anyone else committed (one cheap check when idle); when so, it
// compares the running jobs and runs — and those that were running at the last look, fetched
// again to see how they ended — with what it saw last, and publishes the differences. Jobs this
// process's own runner holds are left to it (it publishes them already).
import type { EventBus } from '../ports/event-bus.ts';
import type { JobChangeFeed } from '../ports/job-changes.ts';
import type { Job, JobQueue } from '../ports/job-queue.ts';
import type { PipelineRunRepository, RunRecord } from '../ports/pipeline-runs.ts';
import { runEvent } from './pipelines.ts';
import { jobEvent } from './system.ts';

export interface JobRelayDeps {
  feed: JobChangeFeed;
  queue: Pick<JobQueue, 'get'>;
  runs: Pick<PipelineRunRepository, 'get'>;
  events: EventBus;
  /** This process's runner: its jobs are published by the runner itself. */
  ownWorkerId: string;
  intervalMs?: number;
  log?(message: string): void;
}

export interface JobRelay {
  /** One look (the timer calls it; tests may too). */
  tick(): Promise<void>;
  stop(): Promise<void>;
}

const runKey = (r: RunRecord) => `${r.status}|${r.steps.map((s) => `${s.stepId}:${s.status}:${s.jobId ?? ''}`).join(',')}`;
const jobKey = (j: Job) => `${j.state}|${j.updatedAt}|${j.attempts}`;

export function startJobRelay(d: JobRelayDeps): JobRelay {
  const log = d.log ?? ((m: string) => console.error(m));
  /** What was last seen of each run still running, and of each job running or in such a run. */
  let runsSeen = new Map<string, string>();
  let jobsSeen = new Map<string, string>();
  let lastLook = Date.now();
  const present = <T>(xs: (T | null)[]) => xs.filter((x): x is T => x !== null);

  async function tick() {
    if (!(await d.feed.changedElsewhere())) return;
    // Runs that ended since the last look count too: a worker may run a whole short run between two looks.
    const since = lastLook - 1_000;
    lastLook = Date.now();
    const active = await d.feed.activeRuns(since);
    const ended = present(await Promise.all([...runsSeen.keys()].filter((id) => !active.some((r) => r.id === id)).map((id) => d.runs.get(id))));
    const nextRuns = new Map<string, string>();
    const watched = new Set<string>(); // jobs of runs still running: kept in jobsSeen
    const moved = new Set<string>(); // jobs of runs whose steps moved: they may have run and ended between two looks
    const runEvents: RunRecord[] = []; // published after the jobs' events, as the runner does (a job settles, then its run moves)
    for (const run of [...active, ...ended]) {
      const key = runKey(run);
      const jobIds = run.steps.flatMap((s) => (s.jobId ? [s.jobId] : []));
      nextRuns.set(run.id, key);
      if (run.status === 'running') jobIds.forEach((id) => watched.add(id));
      if (runsSeen.get(run.id) === key) continue;
      jobIds.forEach((id) => moved.add(id));
      runEvents.push(run);
    }
    runsSeen = nextRuns;

    const running = await d.feed.runningJobs();
    const again = [...new Set([...jobsSeen.keys(), ...moved])].filter((id) => !running.some((j) => j.id === id));
    const nextJobs = new Map<string, string>();
    for (const job of [...running, ...present(await Promise.all(again.map((id) => d.queue.get(id))))]) {
      const key = jobKey(job);
      if (job.state === 'running' || watched.has(job.id)) nextJobs.set(job.id, key);
      if (jobsSeen.get(job.id) === key || job.workerId === d.ownWorkerId || !job.projectId) continue;
      d.events.publish(job.projectId, jobEvent(job));
    }
    jobsSeen = nextJobs;
    for (const run of runEvents) d.events.publish(run.projectId, runEvent(run));
  }

  let stopped = false;
  let busy: Promise<void> = Promise.resolve();
  const timer = setInterval(() => {
    busy = busy.then(() => (stopped ? undefined : tick().catch((e) => log(`relaying job events: ${(e as Error).message}`))));
  }, d.intervalMs ?? 200);
  timer.unref();
  return {
    tick: () => (busy = busy.then(tick)),
    async stop() {
      stopped = true;
      clearInterval(timer);
      await busy;
    },
  };
}
