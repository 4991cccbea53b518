import { describe, expect, it } from 'vitest';
import { LazyAbort } from './lazy-abort.ts';

describe('LazyAbort', () => {
  it('a signal asked for before the abort sees it, with its reason, once', () => {
    const a = new LazyAbort();
    const seen: unknown[] = [];
    a.signal.addEventListener('abort', () => seen.push(a.signal.reason));
    a.abort('first');
    a.abort('second');
    expect(seen).toEqual(['first']);
    expect(a.signal.aborted).toBe(true);
    expect(a.reason).toBe('first');
  });

  it('a signal asked for after the abort is born aborted with the first reason', () => {
    const a = new LazyAbort();
    expect(a.aborted).toBe(false);
    expect(() => a.throwIfAborted()).not.toThrow();
    const reason = new Error('stop');
    a.abort(reason);
    a.abort(new Error('later'));
    expect(a.signal.aborted).toBe(true);
    expect(a.signal.reason).toBe(reason);
    expect(() => a.throwIfAborted()).toThrow('stop');
  });
});
