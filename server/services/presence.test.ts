import { describe, expect, it } from 'vitest';
import type { ImageId, ProjectId } from '../../shared/ids.ts';
import { presenceTracker, type PresenceChange } from './presence.ts';

const P = 'proj' as ProjectId;
const flush = () => new Promise((r) => setImmediate(r));

function tracked() {
  const events: string[] = [];
  const t = presenceTracker(async (id: ImageId) => (id === 'gone' ? null : P), (p, c: PresenceChange) => events.push(`${p} ${c.imageId} ${c.userId} ${c.present ? 'in' : 'out'}`));
  return { t, events };
}

describe('presence tracker', () => {
  it('announces a user once per image however many connections they open, and leaves with the last', async () => {
    const { t, events } = tracked();
    t.connection('ann:a', 'u1', true);
    t.connection('ann:a', 'u1', true);
    t.connection('ann:a', 'u2', true);
    t.connection('cmt:a', 'u3', true);
    await flush();
    expect(events).toEqual(['proj a u1 in', 'proj a u2 in']);
    expect(t.list(P)).toEqual([{ imageId: 'a', userId: 'u1' }, { imageId: 'a', userId: 'u2' }]);
    t.connection('ann:a', 'u1', false);
    await flush();
    expect(events).toHaveLength(2);
    t.connection('ann:a', 'u1', false);
    t.connection('ann:a', 'u2', false);
    await flush();
    expect(events.slice(2)).toEqual(['proj a u1 out', 'proj a u2 out']);
    expect(t.list(P)).toEqual([]);
  });

  it('ignores a leave it never saw a join for, and images of no project', async () => {
    const { t, events } = tracked();
    t.connection('ann:x', 'u1', false);
    t.connection('ann:gone', 'u1', true);
    t.connection('not-a-doc', 'u1', true);
    await flush();
    expect(events).toEqual([]);
    expect(t.list(P)).toEqual([]);
  });
});
