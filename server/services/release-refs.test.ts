// Release refs over the in-memory repository with hand-picked ids, so that the id shapes that only
// turn up now and then with real hashes (a prefix of nothing but digits, about 1 in 100 for ten
// digits) are tested every time.
import { describe, expect, it } from 'vitest';
import type { ProjectId, Sha256, UserId } from '../../shared/ids.ts';
import { memoryReleases } from '../adapters/memory/releases.ts';
import { releaseRecord } from '../ports/releases.contract.ts';
import { resolveRelease } from './release-read.ts';

const f = { projectId: 'p' as ProjectId, userId: 'u' as UserId };
const digits = ('1234567890'.repeat(7).slice(0, 64)) as Sha256;
const hexId = ('abcdef01'.repeat(8)) as Sha256;

async function repo() {
  const releases = memoryReleases();
  await releases.insert(releaseRecord(f, digits, 1), []);
  await releases.insert(releaseRecord(f, hexId, 2), []);
  await releases.setAlias({ projectId: f.projectId, name: 'prod', releaseId: digits, updatedAt: 1, updatedBy: f.userId });
  return { releases };
}

describe('release refs', () => {
  it('reads numbers, latest, aliases, full ids and prefixes', async () => {
    const d = await repo();
    const n = async (ref: string) => (await resolveRelease(d, f.projectId, ref)).number;
    expect([await n('1'), await n('2'), await n('latest'), await n('prod'), await n(hexId), await n('abcdef01ab')]).toEqual([1, 2, 2, 1, 2, 2]);
  });

  it('reads a prefix of only digits as the id it starts: 10+ digits always, 8–9 digits when no release has that number', async () => {
    const d = await repo();
    expect((await resolveRelease(d, f.projectId, digits.slice(0, 10))).id).toBe(digits);
    expect((await resolveRelease(d, f.projectId, digits.slice(0, 12))).id).toBe(digits);
    expect((await resolveRelease(d, f.projectId, digits.slice(0, 8))).id).toBe(digits);
    expect((await resolveRelease(d, f.projectId, digits)).number).toBe(1);
  });

  it('refuses what is none of these, and names a ref that matches nothing', async () => {
    const d = await repo();
    await expect(resolveRelease(d, f.projectId, 'Not/A/Ref')).rejects.toMatchObject({ code: 'bad_request' });
    await expect(resolveRelease(d, f.projectId, '7')).rejects.toThrow(/no release 7 in this project/);
    await expect(resolveRelease(d, f.projectId, 'candidate')).rejects.toMatchObject({ code: 'not_found' });
    await expect(resolveRelease(d, f.projectId, '00000000')).rejects.toMatchObject({ code: 'not_found' });
  });
});
