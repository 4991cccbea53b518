// Runs an async job per key at most once at a time: a call that arrives while the key's job runs
// asks for one more run after it (however many arrive), so a burst of N triggers costs two runs,
// not N, and the last run always starts after the last trigger. Used by the sync server's
// after-update hooks, which fire once per durable update.
export function coalescePerKey<A extends unknown[]>(
  keyOf: (...args: A) => string,
  job: (...args: A) => Promise<void>,
  onError: (error: unknown, ...args: A) => void,
): (...args: A) => void {
  /** Keys whose job is running: whether another run was asked for meanwhile, with its arguments. */
  const running = new Map<string, A | null>();
  const run = async (key: string, args: A) => {
    let next: A | null = args;
    try {
      while (next) {
        running.set(key, null);
        try {
          await job(...next);
        } catch (e) {
          onError(e, ...next);
        }
        next = running.get(key) ?? null;
      }
    } finally {
      running.delete(key);
    }
  };
  return (...args: A) => {
    const key = keyOf(...args);
    if (running.has(key)) return void running.set(key, args);
    void run(key, args);
  };
}
