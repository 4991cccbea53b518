// Long drawing work cut into short tasks: a step runs until its deadline, then the main thread is
// free for input and rendering before the next one (a MessageChannel task: not clamped like a
// nested setTimeout, not held back until idle like requestIdleCallback).

/** Runs `step(deadline)` in tasks of about `budgetMs` each until it returns true, then `done()`. Returns a cancel function. */
export function runSliced(step: (deadline: number) => boolean, done: () => void, budgetMs = 5): () => void {
  const ch = new MessageChannel();
  let live = true;
  const stop = () => {
    live = false;
    ch.port1.close();
  };
  ch.port1.onmessage = () => {
    if (!live) return;
    if (step(performance.now() + budgetMs)) {
      stop();
      done();
    } else ch.port2.postMessage(0);
  };
  ch.port2.postMessage(0);
  return stop;
}
