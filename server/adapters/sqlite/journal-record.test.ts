import { describe, expect, it } from 'vitest';
import { decodeJournal, encodeGroup } from './journal-record.ts';

const group = [
  { docName: 'ann:ü-1', update: new Uint8Array([1, 2, 3]), userId: 'user-é' },
  { docName: 'cmt:2', update: new Uint8Array(0), userId: null },
];

describe('journal records', () => {
  it('round-trips groups: names in UTF-8, a null sender, an empty update', () => {
    const bytes = Buffer.concat([encodeGroup(1, 1000, group), encodeGroup(2, 2000, group.slice(0, 1))]);
    const { groups, validBytes, tornBytes } = decodeJournal(bytes);
    expect(groups).toEqual([
      { seq: 1, createdAt: 1000, updates: group },
      { seq: 2, createdAt: 2000, updates: group.slice(0, 1) },
    ]);
    expect([validBytes, tornBytes]).toEqual([bytes.length, 0]);
  });

  it('stops at a record cut short or altered, keeping the whole ones before it', () => {
    const a = encodeGroup(1, 1, group);
    const b = encodeGroup(2, 2, group);
    for (let cut = 1; cut < b.length; cut++) {
      const { groups, tornBytes } = decodeJournal(Buffer.concat([a, b.subarray(0, cut)]));
      expect(groups.map((g) => g.seq), `cut at ${cut}`).toEqual([1]);
      expect(tornBytes).toBe(cut);
    }
    const flipped = Buffer.concat([a, b, a]);
    flipped[a.length + 20] ^= 0xff; // inside b's body
    expect(decodeJournal(flipped).groups.map((g) => g.seq)).toEqual([1]);
  });

  it('refuses a group with an update that cannot be stored, naming it', () => {
    const bad = [group[0], { docName: 'ann:x', update: null as unknown as Uint8Array, userId: 'u' }];
    expect(() => encodeGroup(1, 1, bad)).toThrow('update 1 of the group (ann:x): update must be a Uint8Array');
  });
});
