// The review request schemas: `seen` must be a Yjs state vector in base64, the reason more than spaces.
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { ApproveBody, encodeStateVectorB64, parseStateVector, RequestChangesBody } from './review.ts';

describe('review request schemas', () => {
  it('takes a real state vector and refuses others, saying why', () => {
    const d = new Y.Doc();
    d.getMap('shapes').set('x', 1);
    const seen = encodeStateVectorB64(Y.encodeStateVector(d));
    expect(parseStateVector(seen)).toEqual({ ok: true, value: new Map([[d.clientID, 1]]) });
    expect(ApproveBody.safeParse({ seen }).success).toBe(true);
    expect(parseStateVector('@@@@')).toEqual({ ok: false, error: 'not base64' });
    expect(parseStateVector('')).toMatchObject({ ok: false, error: expect.stringMatching(/empty/) });
    expect(parseStateVector('/w==')).toMatchObject({ ok: false, error: expect.stringMatching(/state vector/) });
  });

  it('trims the reason and refuses one of only spaces', () => {
    expect(RequestChangesBody.parse({ reason: '  fix  ' }).reason).toBe('fix');
    const r = RequestChangesBody.safeParse({ reason: ' \t ' });
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]).toMatchObject({ path: ['reason'], message: expect.stringMatching(/not only spaces/) });
  });
});
