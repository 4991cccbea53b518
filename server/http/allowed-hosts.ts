// Which Host names this server answers to (DNS rebinding: a page on attacker.example whose name
// later resolves to 127.0.0.1 sends Host and Origin attacker.example, so the same-origin check alone
// passes). Allowed: the listen address, `localhost` and `*.localhost`, IP literals (a rebinding
// attack needs a name it controls), and the configured names (`TESSERA_ALLOWED_HOSTS`, comma-
// separated; `.example.com` also allows its subdomains; `*` allows any).
import type { MiddlewareHandler } from 'hono';
import { isIP } from 'node:net';
import { AppError } from '../../shared/errors.ts';
import { requestHost } from './same-origin.ts';

/** The host name of a Host header value: lower-cased, without port or IPv6 brackets; null if malformed. */
export function hostName(header: string): string | null {
  const h = header.trim().toLowerCase();
  const m = /^\[([0-9a-f:.]+)\](?::\d{1,5})?$/.exec(h) ?? /^([^:[\]/\s@]+)(?::\d{1,5})?$/.exec(h);
  return m ? m[1].replace(/\.$/, '') : null;
}

export type HostCheck = (host: string | undefined) => boolean;

export function allowedHosts({ listen, extra = [] }: { listen: string; extra?: string[] }): HostCheck {
  const names = new Set(['localhost', listen.toLowerCase().replace(/^\[|\]$/g, '')]);
  const suffixes = ['.localhost'];
  let any = false;
  for (const raw of extra) {
    const e = raw.trim().toLowerCase();
    if (!e) continue;
    if (e === '*') any = true;
    else if (e.startsWith('.')) {
      suffixes.push(e);
      names.add(e.slice(1));
    } else names.add(hostName(e) ?? e);
  }
  return (host) => {
    if (any) return true;
    // HTTP/1.0 clients may send none; browsers always do, so a missing Host is no rebinding attack.
    if (host === undefined) return true;
    const name = hostName(host);
    if (name === null) return false;
    return isIP(name) !== 0 || names.has(name) || suffixes.some((s) => name.endsWith(s));
  };
}

export const misdirected = (host: string | undefined) =>
  new AppError('misdirected_request', `this server does not answer to the host name "${host}"; add it to TESSERA_ALLOWED_HOSTS if it should`);

/** Refuses requests addressed to a Host (or, behind a trusted proxy, X-Forwarded-Host) not allowed. */
export function refuseUnknownHost(check: HostCheck, trustProxy: boolean): MiddlewareHandler {
  return async (c, next) => {
    const host = requestHost((n) => c.req.header(n), trustProxy);
    if (!check(host)) throw misdirected(host);
    await next();
  };
}

/** The same check for a WebSocket upgrade request (node's raw headers). */
export function upgradeHostAllowed(check: HostCheck, trustProxy: boolean, headers: Record<string, string | string[] | undefined>): boolean {
  const header = (n: string) => {
    const v = headers[n];
    return Array.isArray(v) ? v[0] : v;
  };
  return check(requestHost(header, trustProxy));
}
