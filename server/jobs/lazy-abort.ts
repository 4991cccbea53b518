// An abort that builds its AbortController only when someone asks for the signal: most jobs (a
// no-op stage, any stage that never looks at ctx.signal) are never aborted, and one
// AbortController with its signal cost about as much as the rest of the runner's work per job.
export class LazyAbort {
  aborted = false;
  reason: unknown = undefined;
  #controller: AbortController | null = null;

  /** The signal, aborted already (with the same reason) when abort() came first. */
  get signal(): AbortSignal {
    if (!this.#controller) {
      this.#controller = new AbortController();
      if (this.aborted) this.#controller.abort(this.reason);
    }
    return this.#controller.signal;
  }

  /** Aborts once; later calls keep the first reason, as AbortController does. */
  abort(reason: unknown): void {
    if (this.aborted) return;
    this.aborted = true;
    this.reason = reason;
    this.#controller?.abort(reason);
  }

  throwIfAborted(): void {
    if (this.aborted) throw this.reason;
  }
}
