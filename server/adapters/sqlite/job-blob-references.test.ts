// The jobs table as a blob reference source: a SHA-256 anywhere in a job's parameters or input
// keeps that blob; others are not named.
import { describe, expect, it } from 'vitest';
import type { Sha256 } from '../../../shared/ids.ts';
import { tempDb } from '../../testing/fixtures.ts';
import { sqliteJobBlobReferences } from './job-blob-references.ts';
import { sqliteJobQueue } from './job-queue.ts';

const sha = (c: string) => c.repeat(64) as Sha256;

describe('job blob references', () => {
  it('names the candidates that a job mentions, in parameters or nested input, and no others', async () => {
    const t = tempDb();
    try {
      const q = sqliteJobQueue(t.db);
      await q.enqueue({ stage: 'export', params: { source: sha('a') } });
      await q.enqueue({ stage: 'report', input: { files: [{ blob: sha('B') }] } });
      const refs = sqliteJobBlobReferences(t.db);
      expect(refs.name).toBe('jobs');
      expect((await refs.referencedAmong([sha('a'), sha('b'), sha('c')])).sort()).toEqual([sha('a'), sha('b')]);
      expect(await refs.referencedAmong([])).toEqual([]);
    } finally {
      t.cleanup();
    }
  });
});
