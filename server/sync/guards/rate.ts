// A token bucket per connection: `burst` messages at once, refilled at `perSecond`. Honest clients
// send one update per edit and a cursor every 50 ms; a flood is cut off before it costs others.
export interface RateLimit {
  perSecond: number;
  burst: number;
}

export const MESSAGE_RATE = { perSecond: 500, burst: 2000 } as const satisfies RateLimit;

/** Returns `take()`: whether one more message fits now. */
export function tokenBucket({ perSecond, burst }: RateLimit, now: () => number): () => boolean {
  let tokens = burst;
  let at = now();
  return () => {
    const t = now();
    tokens = Math.min(burst, tokens + ((t - at) * perSecond) / 1000);
    at = t;
    if (tokens < 1) return false;
    tokens -= 1;
    return true;
  };
}
