// The `import` stage's download: GET an http(s) URL, following up to MAX_REDIRECTS redirects,
// refusing (unless the server allows it) any address only the server can reach: loopback,
// private, link-local (cloud metadata), carrier-grade NAT, multicast and reserved ranges, and
// the name `localhost`. The check runs on the addresses the connection is made to (a lookup hook
// of node:http, so a name cannot resolve to a public address when checked and a private one when
// connecting) and again for every redirect's target.
import { lookup as dnsLookup, type LookupAddress, type LookupAllOptions } from 'node:dns';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { BlockList, isIP } from 'node:net';

export const MAX_REDIRECTS = 5;

const blocked = new BlockList();
for (const [net, bits] of [
  ['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16], ['172.16.0.0', 12],
  ['192.0.0.0', 24], ['192.168.0.0', 16], ['198.18.0.0', 15], ['224.0.0.0', 4], ['240.0.0.0', 4],
] as const) blocked.addSubnet(net, bits, 'ipv4');
for (const [net, bits] of [['::', 128], ['::1', 128], ['fc00::', 7], ['fe80::', 10], ['ff00::', 8]] as const) blocked.addSubnet(net, bits, 'ipv6');

/** The IPv4 address inside an IPv4-mapped IPv6 one (`::ffff:127.0.0.1`, `::ffff:7f00:1`), or null. */
function mappedV4(v6: string): string | null {
  const m = /^(?:0{0,4}:){0,4}:?(?:0{0,4}:)?ffff:(.+)$/i.exec(v6);
  if (!m) return null;
  if (isIP(m[1]) === 4) return m[1];
  const hex = /^([0-9a-f]{1,4}):([0-9a-f]{1,4})$/i.exec(m[1]);
  if (!hex) return null;
  const [hi, lo] = [parseInt(hex[1], 16), parseInt(hex[2], 16)];
  return `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`;
}

/** Whether `address` (an IP literal) is one only this machine or its network can reach. */
export function isPrivateAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 4) return blocked.check(address, 'ipv4');
  if (family !== 6) return false;
  const v4 = mappedV4(address);
  return v4 ? blocked.check(v4, 'ipv4') : blocked.check(address, 'ipv6');
}

/** Why `host` (a URL's hostname, IPv6 in brackets) may not be fetched, or null. */
function refusedHost(host: string, refuse: (address: string) => boolean): string | null {
  const bare = host.replace(/^\[|\]$/g, '').toLowerCase();
  if (refuse === isPrivateAddress && (bare === 'localhost' || bare.endsWith('.localhost'))) return `${host} is this machine`;
  if (isIP(bare) && refuse(bare)) return `${host} is a loopback, private or link-local address`;
  return null;
}

export class UrlRefused extends Error {
  override readonly name = 'UrlRefused';
}

export interface FetchOptions {
  signal: AbortSignal;
  /** Allow loopback and private addresses (tests, or a server meant to import from its own network). */
  allowPrivate: boolean;
  /** Which addresses are refused (default isPrivateAddress; tests narrow it to reach a server on loopback). */
  refuse?: (address: string) => boolean;
}

export interface Fetched {
  /** The URL that answered (after redirects). */
  url: string;
  status: number;
  statusText: string;
  contentLength: number | null;
  body: AsyncIterable<Uint8Array>;
}

/** A lookup that answers only allowed addresses (every one the name resolves to must be). */
const guardedLookup = (refuse: (address: string) => boolean) => (host: string, options: LookupAllOptions | object, callback: (...a: any[]) => void): void => {
  dnsLookup(host, { ...(options as object), all: true }, (err, addresses: LookupAddress[]) => {
    if (err) return callback(err);
    const bad = addresses.find((a) => refuse(a.address));
    if (bad) return callback(new UrlRefused(`${host} resolves to ${bad.address}, a loopback, private or link-local address`));
    if ((options as LookupAllOptions).all) return callback(null, addresses);
    callback(null, addresses[0].address, addresses[0].family);
  });
};

function get(url: URL, o: FetchOptions): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
    let res: IncomingMessage | null = null;
    const lookup = o.allowPrivate ? {} : { lookup: guardedLookup(o.refuse ?? isPrivateAddress) as never };
    // A connection of its own (no keep-alive pool): nothing of one download outlives it.
    const req = request(url, { method: 'GET', agent: false, ...lookup }, (r) => {
      res = r;
      if (o.signal.aborted) {
        r.destroy();
        return reject(o.signal.reason);
      }
      // Until the body is read or dropped. This listener also holds the signal: an
      // AbortSignal.any/timeout signal that only its own listeners reference may be collected
      // before it fires (and the download would then never time out).
      r.on('close', () => o.signal.removeEventListener('abort', onAbort));
      resolve(r);
    });
    // The request and, once it came, the answer's body end with the signal's reason (a timeout
    // while the body streams included). The signal is the caller's for this one download.
    const onAbort = () => {
      req.destroy(o.signal.reason as Error);
      res?.destroy(o.signal.reason as Error);
    };
    if (o.signal.aborted) onAbort();
    else o.signal.addEventListener('abort', onAbort, { once: true });
    req.on('close', () => res || o.signal.removeEventListener('abort', onAbort));
    req.on('error', reject);
    req.end();
  });
}

/**
 * GETs `source`; rejects with UrlRefused for a refused address or redirect, with the signal's
 * reason when it aborts, and with the network error otherwise. The caller reads (or drops) `body`.
 */
export async function fetchUrl(source: string, o: FetchOptions): Promise<Fetched> {
  let url = new URL(source);
  for (let redirects = 0; ; redirects++) {
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new UrlRefused(`${url.href}: only http: and https: are fetched`);
    const why = o.allowPrivate ? null : refusedHost(url.hostname, o.refuse ?? isPrivateAddress);
    if (why) throw new UrlRefused(why);
    const res = await get(url, o);
    const status = res.statusCode ?? 0;
    const location = res.headers.location;
    if ([301, 302, 303, 307, 308].includes(status) && location) {
      res.resume(); // the redirect's own body is not wanted
      if (redirects >= MAX_REDIRECTS) throw new UrlRefused(`${source}: more than ${MAX_REDIRECTS} redirects`);
      url = new URL(location, url);
      continue;
    }
    const length = res.headers['content-length'];
    return { url: url.href, status, statusText: res.statusMessage ?? '', contentLength: length === undefined ? null : Number(length), body: res };
  }
}
