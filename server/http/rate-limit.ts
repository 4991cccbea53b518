// A fixed-window counter of failed attempts per key (login: username + address), in memory.
export interface RateLimiter {
  /** True when the key has used up its attempts in the current window. */
  blocked(key: string): boolean;
  fail(key: string): void;
  reset(key: string): void;
}

export function rateLimiter({ attempts, windowMs, now = Date.now }: { attempts: number; windowMs: number; now?: () => number }): RateLimiter {
  const hits = new Map<string, { count: number; until: number }>();
  const current = (key: string) => {
    const h = hits.get(key);
    if (h && h.until <= now()) {
      hits.delete(key);
      return undefined;
    }
    return h;
  };
  return {
    blocked: (key) => (current(key)?.count ?? 0) >= attempts,
    fail(key) {
      const h = current(key);
      if (h) h.count++;
      else hits.set(key, { count: 1, until: now() + windowMs });
      if (hits.size > 100_000) for (const k of hits.keys()) if (!current(k)) hits.delete(k);
    },
    reset: (key) => void hits.delete(key),
  };
}
