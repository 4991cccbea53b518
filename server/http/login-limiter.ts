// Who may try to sign in right now: failed attempts are counted per account and address (a wrong
// password from elsewhere cannot lock this address out) and per address across all usernames (so
// fresh usernames do not dodge the limit), and an address has a few sign-ins in flight at most.
// Failures reach the audit log aggregated: the first of a window at once, the rest as one summary
// row (counts per address, the usernames tried) when the window ends or at shutdown — at most two
// rows per window however many addresses and usernames an attacker uses.
import { AppError } from '../../shared/errors.ts';
import type { AuditEntry } from '../services/audit.ts';
import { rateLimiter } from './rate-limit.ts';

export interface LoginLimiterOptions {
  /** Failed sign-ins per username and address in a window. */
  attempts: number;
  /** Failed sign-ins per address, whatever the usernames, in a window. */
  addressAttempts: number;
  /** Sign-ins being checked at once per address. */
  addressInFlight: number;
  windowMs: number;
  /** Writes an audit entry (aggregated failures). */
  report?: (e: AuditEntry) => void;
  now?: () => number;
}

export interface LoginAttempt {
  failed(): void;
  succeeded(): void;
  /** Neither (the check itself could not run): frees the slot only. */
  abandoned(): void;
}

export interface LoginLimiter {
  /** Admits an attempt or throws `rate_limited`. */
  begin(username: string, address: string): LoginAttempt;
  /** Writes pending failure summaries and stops the sweep timer. */
  close(): void;
}

export function loginLimiter(o: LoginLimiterOptions): LoginLimiter {
  const now = o.now ?? Date.now;
  const perAccount = rateLimiter({ attempts: o.attempts, windowMs: o.windowMs, now });
  const perAddress = rateLimiter({ attempts: o.addressAttempts, windowMs: o.windowMs, now });
  const inFlight = new Map<string, number>();
  const failures = failureLog(o.windowMs, now, o.report);

  return {
    begin(username, address) {
      const key = `${username}|${address}`;
      if (perAccount.blocked(key)) throw new AppError('rate_limited', 'too many failed sign-ins; wait a few minutes and try again');
      if (perAddress.blocked(address)) throw new AppError('rate_limited', 'too many failed sign-ins from your address; wait a few minutes and try again');
      const busy = inFlight.get(address) ?? 0;
      if (busy >= o.addressInFlight) throw new AppError('rate_limited', 'too many sign-ins at once from your address; try again in a moment');
      inFlight.set(address, busy + 1);
      let open = true;
      const done = () => {
        if (!open) return false;
        open = false;
        const n = (inFlight.get(address) ?? 1) - 1;
        if (n > 0) inFlight.set(address, n);
        else inFlight.delete(address);
        return true;
      };
      return {
        failed() {
          if (!done()) return;
          perAccount.fail(key);
          perAddress.fail(address);
          failures.record(address, username);
        },
        succeeded() {
          // The address counter is not reset: one valid account must not wipe a guessing spree.
          if (done()) perAccount.reset(key);
        },
        abandoned: () => void done(),
      };
    },
    close: () => failures.close(),
  };
}

const MAX_LISTED = 20;
const MAX_TRACKED = 10_000;

/** Counts failed sign-ins per window; writes the first at once and a summary when the window ends. */
function failureLog(windowMs: number, now: () => number, report?: (e: AuditEntry) => void) {
  let win: { from: number; count: number; byAddress: Map<string, number>; names: Set<string> } | null = null;
  const summarize = () => {
    if (win && win.count > 1) {
      const addresses = [...win.byAddress].sort((a, b) => b[1] - a[1]).slice(0, MAX_LISTED);
      report?.({
        actorId: null,
        action: 'auth.login_failed',
        subject: 'summary',
        details: { failures: win.count, from: win.from, to: Math.min(now(), win.from + windowMs), distinctAddresses: win.byAddress.size, addresses: Object.fromEntries(addresses), usernames: [...win.names].slice(0, MAX_LISTED) },
      });
    }
    win = null;
  };
  const timer = setInterval(() => {
    if (win && win.from + windowMs <= now()) summarize();
  }, windowMs);
  timer.unref();
  return {
    record(address: string, username: string) {
      if (win && win.from + windowMs <= now()) summarize();
      if (!win) {
        win = { from: now(), count: 0, byAddress: new Map(), names: new Set() };
        report?.({ actorId: null, action: 'auth.login_failed', subject: username, details: { username, address } });
      }
      win.count++;
      if (win.byAddress.size < MAX_TRACKED || win.byAddress.has(address)) win.byAddress.set(address, (win.byAddress.get(address) ?? 0) + 1);
      if (win.names.size < MAX_LISTED) win.names.add(username);
    },
    close() {
      clearInterval(timer);
      summarize();
    },
  };
}

/** The limiter as configured (`loginAttempts`, `loginAttemptsPerAddress`, …). */
export function loginLimiterFromConfig(
  config: { loginAttempts: number; loginAttemptsPerAddress: number; loginsInFlightPerAddress: number; loginWindowMs: number },
  report?: (e: AuditEntry) => void,
): LoginLimiter {
  return loginLimiter({
    attempts: config.loginAttempts,
    addressAttempts: config.loginAttemptsPerAddress,
    addressInFlight: config.loginsInFlightPerAddress,
    windowMs: config.loginWindowMs,
    report,
  });
}
