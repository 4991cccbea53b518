// Blob metadata look-ups.
import { eq } from 'drizzle-orm';
import type { Db } from '../adapters/sqlite/open.ts';
import { blobs } from '../adapters/sqlite/schema.ts';

export const getBlobMime = (db: Db, sha256: string): string | null =>
  db.select({ mime: blobs.mime }).from(blobs).where(eq(blobs.sha256, sha256)).get()?.mime ?? null;
