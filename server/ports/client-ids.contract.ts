// The contract every ClientIdRegistry adapter passes (run by client-ids.test.ts).
import { expect, it } from 'vitest';
import type { ClientIdRegistry } from './client-ids.ts';

export function clientIdRegistryContract(make: () => ClientIdRegistry) {
  it('binds new client ids per document and keeps the first owner', () => {
    const r = make();
    expect(r.owners('ann:a')).toEqual(new Map());
    r.bind('ann:a', [1, 2], 'u1');
    r.bind('ann:a', [2, 3], 'u2');
    r.bind('ann:b', [1], 'u2');
    expect(r.owners('ann:a')).toEqual(new Map([[1, 'u1'], [2, 'u1'], [3, 'u2']]));
    expect(r.owners('ann:b')).toEqual(new Map([[1, 'u2']]));
  });

  it('hands out copies: changing a returned map changes nothing stored', () => {
    const r = make();
    r.bind('ann:a', [7], 'u1');
    r.owners('ann:a').set(8, 'x');
    expect([...r.owners('ann:a').keys()]).toEqual([7]);
  });

  it('accepts the full range of Yjs client ids (unsigned 32-bit)', () => {
    const r = make();
    r.bind('ann:a', [0, 2 ** 32 - 1], 'u1');
    expect([...r.owners('ann:a').keys()].sort((a, b) => a - b)).toEqual([0, 2 ** 32 - 1]);
  });
}
