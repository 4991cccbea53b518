// One writer at a time for a store whose connection cannot hold two transactions (better-sqlite3,
// the memory adapter): an async transaction holds the store exclusively until its promise
// settles; single operations from elsewhere wait for it, operations from inside it (tracked with
// AsyncLocalStorage) run at once. Never wraps an async function in better-sqlite3's own
// `db.transaction` (which cannot span an await: drizzle-orm #2275).
import { AsyncLocalStorage } from 'node:async_hooks';

export interface Serial {
  /** Runs one synchronous operation: now, unless another context holds the store (then after it). */
  op<T>(fn: () => T): Promise<T>;
  /** Runs `fn` holding the store: nothing from another context runs until it settles. Nested calls join. */
  exclusive<T>(fn: () => Promise<T>): Promise<T>;
  /** Whether the caller runs inside an exclusive section. */
  inside(): boolean;
}

export function serial(): Serial {
  const als = new AsyncLocalStorage<symbol>();
  let holder: symbol | null = null;
  /** Settles when the last queued exclusive section has finished. */
  let tail: Promise<unknown> = Promise.resolve();
  const inside = () => holder !== null && als.getStore() === holder;

  const op = <T>(fn: () => T): Promise<T> => {
    if (holder === null || inside()) {
      try {
        return Promise.resolve(fn());
      } catch (e) {
        return Promise.reject(e);
      }
    }
    return tail.then(() => op(fn));
  };

  return {
    op,
    inside,
    exclusive<T>(fn: () => Promise<T>): Promise<T> {
      if (inside()) return fn();
      const run = async () => {
        const token = Symbol('exclusive');
        holder = token;
        try {
          return await als.run(token, fn);
        } finally {
          holder = null;
        }
      };
      const result = tail.then(run, run);
      tail = result.then(
        () => {},
        () => {},
      );
      return result;
    },
  };
}

/** A synchronous implementation of an async port: each method answers at once. */
export type SyncOf<R> = { [K in keyof R]: R[K] extends (...a: infer A) => Promise<infer T> ? (...a: A) => T : never };

/** The async port over a synchronous implementation, each call passing `gate`. */
export function gated<R>(gate: Serial, impl: SyncOf<R>): R {
  const out: Record<string, unknown> = {};
  for (const [k, f] of Object.entries(impl as Record<string, (...a: unknown[]) => unknown>)) {
    out[k] = (...a: unknown[]) => gate.op(() => f(...a));
  }
  return out as R;
}

