// Server configuration, parsed once (flags and environment) and passed down.
import { resolve, join } from 'node:path';
import { z } from 'zod';

export const ConfigSchema = z.object({
  port: z.coerce.number().int().min(0).max(65535).default(8080),
  host: z.string().default('127.0.0.1'),
  dataDir: z.string().default('./data'),
  demo: z.boolean().default(false),
  /** Per-file upload limit in bytes (over it: 413). */
  maxImageBytes: z.coerce.number().int().positive().default(50 * 1024 * 1024),
  /** Whole-request limit for uploads in bytes. */
  maxUploadBytes: z.coerce.number().int().positive().default(1024 * 1024 * 1024),
  /** Entries per uploaded .zip archive. */
  maxZipEntries: z.coerce.number().int().positive().default(100_000),
  /** Body limit for JSON (and other non-multipart) requests from signed-in users. */
  maxJsonBytes: z.coerce.number().int().positive().default(1024 * 1024),
  /** Body limit for requests before signing in (the sign-in request itself). */
  maxAnonymousBytes: z.coerce.number().int().positive().default(16 * 1024),
  /** Host names answered besides the listen address, localhost and IP literals (DNS rebinding). */
  allowedHosts: z.array(z.string()).default([]),
  /** Failed logins allowed per username and address in the window before 429. */
  loginAttempts: z.coerce.number().int().positive().default(10),
  loginWindowMs: z.coerce.number().int().positive().default(5 * 60 * 1000),
  /** Failed logins allowed per address (any usernames) in the window before 429. */
  loginAttemptsPerAddress: z.coerce.number().int().positive().default(50),
  /** Sign-ins checked at once per address (password hashing is deliberately slow). */
  loginsInFlightPerAddress: z.coerce.number().int().positive().default(4),
  /** Lifetime of a new API token in days when its creator names none (at most 3650). */
  apiTokenDays: z.coerce.number().int().min(1).max(3650).default(90),
  /** Largest stored size of one synced document (its log, compacted when needed); past it an update is refused with 4413. */
  maxDocBytes: z.coerce.number().int().positive().default(32 * 1024 * 1024),
  /** Behind a reverse proxy: take the client address from X-Forwarded-For (never otherwise). */
  trustProxy: z.boolean().default(false),
  /** Serve the built client from this folder (SPA fallback to index.html); none if null. */
  clientDir: z.string().nullable().default(null),
  quiet: z.boolean().default(false),
  /** User stage folders besides the project's stages/ (`--stages DIR`). */
  stageDirs: z.array(z.string()).default([]),
  /** Jobs the server process runs at once; 0 leaves them all to `tessera worker` processes. */
  jobConcurrency: z.coerce.number().int().min(0).max(256).default(4),
  /** The `import` stage may fetch URLs on loopback, private and link-local addresses (default: refused). */
  importAllowPrivate: z.boolean().default(false),
});

export type Config = z.infer<typeof ConfigSchema>;
export type ConfigInput = z.input<typeof ConfigSchema>;

export function loadConfig(input: ConfigInput = {}, env: NodeJS.ProcessEnv = process.env): Config {
  const fromEnv: ConfigInput = {
    ...(env.TESSERA_PORT ? { port: Number(env.TESSERA_PORT) } : {}),
    ...(env.TESSERA_HOST ? { host: env.TESSERA_HOST } : {}),
    ...(env.TESSERA_DATA ? { dataDir: env.TESSERA_DATA } : {}),
    ...(env.TESSERA_MAX_IMAGE_BYTES ? { maxImageBytes: Number(env.TESSERA_MAX_IMAGE_BYTES) } : {}),
    ...(env.TESSERA_MAX_DOC_BYTES ? { maxDocBytes: Number(env.TESSERA_MAX_DOC_BYTES) } : {}),
    ...(env.TESSERA_JOB_CONCURRENCY ? { jobConcurrency: Number(env.TESSERA_JOB_CONCURRENCY) } : {}),
    ...(env.TESSERA_API_TOKEN_DAYS ? { apiTokenDays: Number(env.TESSERA_API_TOKEN_DAYS) } : {}),
    ...(env.TESSERA_ALLOWED_HOSTS ? { allowedHosts: env.TESSERA_ALLOWED_HOSTS.split(',').map((h) => h.trim()).filter(Boolean) } : {}),
    ...(env.TESSERA_TRUST_PROXY ? { trustProxy: env.TESSERA_TRUST_PROXY === '1' || env.TESSERA_TRUST_PROXY === 'true' } : {}),
    ...(env.TESSERA_IMPORT_ALLOW_PRIVATE ? { importAllowPrivate: env.TESSERA_IMPORT_ALLOW_PRIVATE === '1' || env.TESSERA_IMPORT_ALLOW_PRIVATE === 'true' } : {}),
  };
  const r = ConfigSchema.safeParse({ ...fromEnv, ...input });
  if (!r.success) {
    const i = r.error.issues[0];
    throw new Error(`bad configuration: ${i.path.join('.')}: ${i.message}`);
  }
  return { ...r.data, dataDir: resolve(r.data.dataDir) };
}

export const dbFile = (c: Config) => join(c.dataDir, 'tessera.db');
export const blobDir = (c: Config) => join(c.dataDir, 'blobs');
