// Event-driven waiting for tests: re-check a condition whenever one of the watched sources fires,
// with a deadline that reports what was being waited for. No guessed sleeps.
import type * as Y from 'yjs';

/** Subscribes `recheck` to some event source; returns the unsubscribe function. */
export type Watch = (recheck: () => void) => () => void;

export const docUpdates = (...docs: Y.Doc[]): Watch => (recheck) => {
  for (const d of docs) d.on('update', recheck);
  return () => docs.forEach((d) => d.off('update', recheck));
};

/** Also re-checks on a slow timer, for conditions whose changes emit no event we can watch. */
export const every = (ms: number): Watch => (recheck) => {
  const t = setInterval(recheck, ms);
  return () => clearInterval(t);
};

export function until(check: () => boolean, watches: Watch[], timeoutMs: number, what: string | (() => string)): Promise<void> {
  return new Promise((resolve, reject) => {
    const offs: Array<() => void> = [];
    let done = false;
    const finish = (e?: Error) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      offs.forEach((off) => off());
      e ? reject(e) : resolve();
    };
    const recheck = () => {
      if (done) return;
      try {
        if (check()) finish();
      } catch (e) {
        finish(e as Error);
      }
    };
    const timer = setTimeout(() => finish(new Error(`timed out after ${timeoutMs} ms waiting for ${typeof what === 'string' ? what : what()}`)), timeoutMs);
    for (const w of watches) offs.push(w(recheck));
    recheck();
  });
}
