import { describe, expect, it } from 'vitest';
import type { AuditEntry } from '../services/audit.ts';
import { loginLimiter } from './login-limiter.ts';

const setup = (over: Partial<Parameters<typeof loginLimiter>[0]> = {}) => {
  let t = 1_000;
  const rows: AuditEntry[] = [];
  const l = loginLimiter({ attempts: 3, addressAttempts: 5, addressInFlight: 2, windowMs: 60_000, now: () => t, report: (e) => rows.push(e), ...over });
  return { l, rows, advance: (ms: number) => (t += ms) };
};
const code = (f: () => unknown) => {
  try {
    f();
    return 'admitted';
  } catch (e) {
    return (e as { code?: string }).code;
  }
};

describe('login limiter', () => {
  it('counts failures per address across usernames, so fresh usernames do not dodge the limit', () => {
    const { l } = setup();
    for (let i = 0; i < 5; i++) l.begin(`fresh-${i}`, '10.0.0.1').failed();
    expect(code(() => l.begin('fresh-99', '10.0.0.1'))).toBe('rate_limited');
    expect(code(() => l.begin('fresh-99', '10.0.0.2'))).toBe('admitted');
    l.close();
  });

  it('counts failures per username and address, and a success resets only that account', () => {
    const { l, advance } = setup();
    for (let i = 0; i < 3; i++) l.begin('ann', '10.0.0.1').failed();
    expect(code(() => l.begin('ann', '10.0.0.1'))).toBe('rate_limited');
    expect(code(() => l.begin('ann', '10.0.0.9'))).toBe('admitted');
    advance(60_000);
    l.begin('ann', '10.0.0.1').succeeded();
    l.close();
  });

  it('admits only a few sign-ins in flight per address', () => {
    const { l } = setup();
    const a = l.begin('a', '10.0.0.1');
    l.begin('b', '10.0.0.1');
    expect(code(() => l.begin('c', '10.0.0.1'))).toBe('rate_limited');
    a.abandoned();
    a.abandoned(); // twice frees one slot only
    expect(code(() => l.begin('c', '10.0.0.1'))).toBe('admitted');
    expect(code(() => l.begin('d', '10.0.0.1'))).toBe('rate_limited');
    l.close();
  });

  it('writes the first failure of a window and then one summary, not a row per attempt', () => {
    const { l, rows, advance } = setup({ addressAttempts: 1000, addressInFlight: 1000 });
    for (let i = 0; i < 200; i++) l.begin(`user-${i}`, `10.0.${i % 7}.1`).failed();
    expect(rows).toHaveLength(1);
    advance(60_000);
    l.begin('late', '10.0.0.1').failed(); // a new window: the old one is summarised first
    expect(rows).toHaveLength(3);
    const summary = rows[1].details as { failures: number; distinctAddresses: number; usernames: string[] };
    expect(summary.failures).toBe(200);
    expect(summary.distinctAddresses).toBe(7);
    expect(summary.usernames.length).toBeLessThanOrEqual(20);
    l.close();
    expect(rows).toHaveLength(3); // the new window had one failure, already written
  });
});
