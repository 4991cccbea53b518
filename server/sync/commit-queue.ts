// Group commit in front of the update store: appends from every connection of every document
// queue here in arrival order and are committed in groups (one `appendMany`, one transaction);
// each append's callback runs after its group is durable, in arrival order; what a callback returns
// runs after every callback of the group and after `onSettled` (the core writes out the frames the
// group relayed there, so the after-update hooks never hold up a relay's socket write). Reads and compactions
// of a document run as exclusive steps in the same order, so none of them can overtake a write
// queued before it. Markers (`after`) run once everything queued before them has settled.
import type { StoredUpdate, UpdateStore } from '../ports/update-store.ts';

type Item =
  | { kind: 'append'; entry: StoredUpdate; done: AppendDone; skip?: () => boolean }
  | { kind: 'after'; fn: () => void }
  | { kind: 'exclusive'; run: () => void | Promise<void> };

/** An append's callback: its error, or nothing once durable; may return what to run once the group's callbacks all ran. */
export type AppendDone = (error?: unknown) => void | (() => void);

export interface CommitQueueOptions {
  /** Most appends in one group. */
  maxGroup: number;
  /** Most bytes in one group (a group has at least one append whatever its size). */
  maxGroupBytes: number;
  /** Longest stretch (ms) the queue works through a backlog before it lets the event loop run. */
  sliceMs: number;
  /** Runs once a group's callbacks ran, before what they returned (the core flushes the relayed frames). */
  onSettled?: () => void;
}

export interface CommitQueueStats {
  groups: number;
  appends: number;
  /** Appends in the largest group so far. */
  largestGroup: number;
}

export class CommitQueue {
  private items: Item[] = [];
  private head = 0;
  private running = false;
  private idleWaiters: Array<() => void> = [];
  readonly stats: CommitQueueStats = { groups: 0, appends: 0, largestGroup: 0 };

  constructor(
    private readonly store: UpdateStore,
    private readonly opts: CommitQueueOptions = { maxGroup: 2000, maxGroupBytes: 8 * 1024 * 1024, sliceMs: 5 },
  ) {}

  /**
   * Queues one append; `done` runs after its group committed (no argument) or failed (the error);
   * a function it returns runs after every callback of the group and `onSettled`, in the same turn.
   * `skip`, asked just before the group is written, drops an append whose document gave up.
   */
  append(entry: StoredUpdate, done: AppendDone, skip?: () => boolean): void {
    this.push({ kind: 'append', entry, done, skip });
  }

  /** Runs `fn` once everything queued before it has settled. */
  after(fn: () => void): void {
    this.push({ kind: 'after', fn });
  }

  /** Runs `fn` alone, after everything queued before it; resolves or rejects with it. */
  exclusive<T>(fn: () => T | Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) =>
      this.push({ kind: 'exclusive', run: () => Promise.resolve().then(fn).then(resolve, reject) }),
    );
  }

  /** Resolves once the queue is empty (everything queued so far settled). */
  idle(): Promise<void> {
    if (!this.running && this.pending() === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  pending(): number {
    return this.items.length - this.head;
  }

  private push(item: Item): void {
    this.items.push(item);
    if (this.running) return;
    this.running = true;
    // Everything that arrives in this turn of the event loop (several sockets' frames) joins the first group.
    setImmediate(() => void this.pump());
  }

  private async pump(): Promise<void> {
    try {
      let slice = performance.now();
      while (this.head < this.items.length) {
        const first = this.items[this.head];
        if (first.kind === 'exclusive') {
          // A backlog of reads and compactions (a thousand at an unload, loads behind a burst) runs
          // in slices: before the next one, the event loop gets a turn once the queue has worked
          // for `sliceMs` (sockets and timers wait no longer than that). Never between a step and
          // the appends after it (a load and its migration's write settle as one).
          if (performance.now() - slice > this.opts.sliceMs) {
            await new Promise<void>((resolve) => setImmediate(resolve));
            slice = performance.now();
          }
          this.head++;
          await first.run();
          continue;
        }
        await this.commitGroup();
        if (this.head > 1024 && this.head * 2 > this.items.length) (this.items = this.items.slice(this.head)), (this.head = 0);
      }
    } finally {
      this.items = [];
      this.head = 0;
      this.running = false;
      for (const w of this.idleWaiters.splice(0)) w();
    }
  }

  /** Takes the run of appends and markers at the head (up to the limits), writes it in one call, settles it in order. */
  private async commitGroup(): Promise<void> {
    const group: Item[] = [];
    const entries: StoredUpdate[] = [];
    let bytes = 0;
    while (this.head < this.items.length) {
      const item = this.items[this.head];
      if (item.kind === 'exclusive') break;
      if (item.kind === 'append') {
        if (entries.length && (entries.length >= this.opts.maxGroup || bytes + item.entry.update.byteLength > this.opts.maxGroupBytes)) break;
        if (item.skip?.()) {
          this.head++;
          item.done(new Error('skipped: the document gave up'));
          continue;
        }
        entries.push(item.entry);
        bytes += item.entry.update.byteLength;
      }
      group.push(item);
      this.head++;
    }
    let error: unknown;
    if (entries.length) {
      try {
        await this.store.appendMany(entries);
        this.stats.groups++;
        this.stats.appends += entries.length;
        this.stats.largestGroup = Math.max(this.stats.largestGroup, entries.length);
      } catch (e) {
        error = e ?? new Error('append failed');
      }
    }
    const then: Array<() => void> = [];
    for (const item of group) {
      try {
        if (item.kind === 'append') {
          const next = item.done(error);
          if (next) then.push(next);
        } else if (item.kind === 'after') item.fn();
      } catch {
        /* a callback's failure is its own: the rest of the group still settles */
      }
    }
    // each a failure of its own too
    const run = (fn: () => void) => {
      try {
        fn();
      } catch {
        /* as above */
      }
    };
    if (this.opts.onSettled) run(this.opts.onSettled);
    then.forEach(run);
  }
}
