// Job states and the shapes of a job's record that both the server and its clients read.
export const JOB_STATE = {
  /** Waiting to be claimed (also between attempts: `runAfter` then holds the retry time). */
  queued: 'queued',
  running: 'running',
  succeeded: 'succeeded',
  /** Failed with an error that retrying cannot fix (bad parameters, output not matching its schema). */
  failed: 'failed',
  /** Failed on every one of its attempts. */
  dead: 'dead',
  cancelled: 'cancelled',
} as const;
export type JobState = (typeof JOB_STATE)[keyof typeof JOB_STATE];
export const JOB_STATES = Object.values(JOB_STATE) as JobState[];
export const FINISHED_STATES: readonly JobState[] = ['succeeded', 'failed', 'dead', 'cancelled'];
export const isFinished = (s: JobState): boolean => FINISHED_STATES.includes(s);

/** One failed attempt, kept for ever on the job. */
export interface JobError {
  attempt: number;
  at: number;
  message: string;
  /** Where the error came from, e.g. `lease_expired`, `exit_code`, `output`, `params`. */
  code?: string;
  stack?: string;
  /** When the next attempt may start; absent when the job was not retried. */
  retryAt?: number;
}

export interface JobProgress {
  /** 0–1. */
  fraction: number;
  message: string;
}
