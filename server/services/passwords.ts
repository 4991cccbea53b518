// Password hashes (scrypt): hashing for new accounts and verification for sign-in. Verification runs
// on libuv's thread pool (async `crypto.scrypt`), never on the event loop, and at most `concurrency`
// at a time with a bounded queue, so a storm of sign-ins neither blocks other requests nor starves
// the file I/O that shares the pool. The pool is per process (so is libuv's), hence one instance.
import { randomBytes, scrypt, scryptSync, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { boundedPool } from './bounded-pool.ts';

const SCRYPT = { N: 16384, r: 8, p: 1, keylen: 32 };
/** Upper bounds on stored parameters: a tampered hash must not make one check cost gigabytes. */
const MAX = { N: 1 << 20, r: 32, p: 16, keylen: 128 };

/** A new hash for an account (admin-created accounts and the demo seed; not an unauthenticated path). */
export function hashPassword(password: string): string {
  const salt = randomBytes(16);
  const key = scryptSync(password, salt, SCRYPT.keylen, { N: SCRYPT.N, r: SCRYPT.r, p: SCRYPT.p });
  return `scrypt$${SCRYPT.N}$${SCRYPT.r}$${SCRYPT.p}$${salt.toString('base64')}$${key.toString('base64')}`;
}

function scryptAsync(password: string, salt: Buffer, keylen: number, opts: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => scrypt(password, salt, keylen, { ...opts, maxmem: 256 * opts.N! * opts.r! + 1024 * 1024 }, (e, key) => (e ? reject(e) : resolve(key))));
}

// Leave a core for the event loop (and libuv's other pool threads for file I/O).
const verifier = boundedPool({ concurrency: Math.max(1, Math.min(2, availableParallelism() - 1)), maxQueue: 64, busy: 'the server is busy checking other sign-ins; try again in a few seconds' });

/** Whether `password` matches a stored `scrypt$N$r$p$salt$key` hash; off the event loop, bounded. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [tag, n, r, p, saltB64, keyB64] = stored.split('$');
  if (tag !== 'scrypt' || !keyB64) return false;
  const expected = Buffer.from(keyB64, 'base64');
  const opts = { N: Number(n), r: Number(r), p: Number(p) };
  if (!(opts.N > 1 && opts.N <= MAX.N && opts.r >= 1 && opts.r <= MAX.r && opts.p >= 1 && opts.p <= MAX.p && expected.length > 0 && expected.length <= MAX.keylen)) return false;
  const key = await verifier.run(() => scryptAsync(password, Buffer.from(saltB64, 'base64'), expected.length, opts));
  return timingSafeEqual(key, expected);
}
