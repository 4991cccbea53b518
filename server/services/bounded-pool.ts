// A counting semaphore with a bounded wait queue, for work that is expensive per request (password
// hashing, import parsing): at most `concurrency` run at once, `maxQueue` wait, the rest are
// refused with `rate_limited` and `busy` as the message.
import { AppError } from '../../shared/errors.ts';

export interface BoundedPool {
  readonly active: number;
  readonly queued: number;
  run<T>(work: () => Promise<T>): Promise<T>;
}

export function boundedPool({ concurrency, maxQueue, busy }: { concurrency: number; maxQueue: number; busy: string }): BoundedPool {
  let active = 0;
  const waiting: (() => void)[] = [];
  const release = () => {
    active--;
    const next = waiting.shift();
    if (next) {
      active++;
      next();
    }
  };
  return {
    get active() {
      return active;
    },
    get queued() {
      return waiting.length;
    },
    async run<T>(work: () => Promise<T>): Promise<T> {
      if (active >= concurrency) {
        if (waiting.length >= maxQueue) throw new AppError('rate_limited', busy);
        await new Promise<void>((resolve) => waiting.push(resolve));
      } else {
        active++;
      }
      try {
        return await work();
      } finally {
        release();
      }
    },
  };
}
